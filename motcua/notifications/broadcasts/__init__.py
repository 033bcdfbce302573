"""Area broadcasts (thông báo diện rộng): one SMS to the residents or household heads of an area.

- `states`: the state machine (draft → submitted → approved → sending → done, or cancelled);
- `selectors`: reads with the access check, audiences, previews, progress and reports;
- `audiences`: the registry of audience sources other apps add to (household heads, from outreach);
- `csv`: reading an uploaded recipient list;
- `services`: drafts, CSV upload, approval and cancellation; `sending`: start, finish, dispatch;
- `api`, `views`, `urls`: the JSON API and the officer pages.
"""
