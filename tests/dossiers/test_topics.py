"""The apps above dossiers hear about its actions through `motcua.core.events` topics."""

from motcua.core import events
from motcua.dossiers import topics
from motcua.dossiers.workflow_table import ALL_ACTIONS
from motcua.outreach.subscribers import dossier_submitted
from motcua.payments.services.dossier_fees import dossier_ended, fees_confirmed_outside, fees_requested
from motcua.ratings.services import returned_invitation
from motcua.signing.services.result_steps import approve_sign_results, return_check_signature


def test_every_dossier_topic_is_declared():
    for action in ALL_ACTIONS:
        assert topics.action_topic(action) in events.TOPICS
    for topic in (topics.FEES_REQUESTED, topics.FEES_CONFIRMED_OUTSIDE, topics.ENDED, topics.RESULT_RETURNED):
        assert topic in events.TOPICS
    assert topics.SUBMITTED in events.TOPICS


def test_higher_apps_subscribe_in_their_app_config():
    assert events.subscribers(topics.FEES_REQUESTED) == [fees_requested]
    assert events.subscribers(topics.FEES_CONFIRMED_OUTSIDE) == [fees_confirmed_outside]
    assert events.subscribers(topics.ENDED) == [dossier_ended]
    assert events.subscribers(topics.RESULT_RETURNED) == [returned_invitation]
    assert dossier_submitted in events.subscribers(topics.SUBMITTED)
    assert approve_sign_results in events.subscribers(topics.action_topic("approve"))
    assert return_check_signature in events.subscribers(topics.action_topic("return_result"))
