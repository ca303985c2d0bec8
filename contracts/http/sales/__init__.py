"""The sales service's HTTP documents: its internal API's answers and bodies, which the public API's sales
endpoints and 360 view sections pass through and validate with. One module per part of the API, imported as
itself (no names are gathered here):
- deals.py: pipelines, deals, tasks, customers' owners and teams, and the 360 view's deal and task sections;
- quotes.py: quotes, their approval decisions and the sales settings (the approval policy);
- signals.py: lead scores and their rules, cross-sell suggestions and pipeline analytics;
- common.py: what the three share."""
