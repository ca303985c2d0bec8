"""Sales' internal HTTP API (called by the gateway), prefix `/internal/v1/workspaces/{workspace}`:
pipelines and deals (api_deals), quotes and settings (api_quotes), tasks, owners and teams (api_tasks),
lead scores, cross-sell and analytics (api_signals)."""

from __future__ import annotations

from fastapi import APIRouter

from services.sales import api_deals, api_quotes, api_signals, api_tasks

routers: list[APIRouter] = [api_deals.router, api_quotes.router, api_tasks.router, api_signals.router]
