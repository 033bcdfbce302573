from .campaigns import Campaign
from .households import Household, HouseholdMember
from .indicators import Indicator, IndicatorAchievement, IndicatorScope
from .progress import ProgressDaily, ProgressMonthly, ProgressTotal, Target, TargetKind
from .teams import Affiliation, OutreachTeam, TeamMember
from .visits import Visit

__all__ = [
    "Affiliation",
    "Campaign",
    "Household",
    "HouseholdMember",
    "Indicator",
    "IndicatorAchievement",
    "IndicatorScope",
    "OutreachTeam",
    "TeamMember",
    "Visit",
    "ProgressDaily",
    "ProgressMonthly",
    "ProgressTotal",
    "Target",
    "TargetKind",
]
