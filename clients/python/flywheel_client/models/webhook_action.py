from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_action_channel import WebhookActionChannel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_action_data import WebhookActionData


T = TypeVar("T", bound="WebhookAction")


@_attrs_define
class WebhookAction:
    """A message sent through the workspace's webhook for its channel; template rendered per customer.

    Attributes:
        channel (WebhookActionChannel):
        kind (Literal['webhook']):
        template (str):
        data (WebhookActionData | Unset):
        subject (None | str | Unset):
        subscription_group (None | str | Unset):
        transactional (bool | Unset):  Default: False.
    """

    channel: WebhookActionChannel
    kind: Literal["webhook"]
    template: str
    data: WebhookActionData | Unset = UNSET
    subject: None | str | Unset = UNSET
    subscription_group: None | str | Unset = UNSET
    transactional: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        kind = self.kind

        template = self.template

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        subscription_group: None | str | Unset
        if isinstance(self.subscription_group, Unset):
            subscription_group = UNSET
        else:
            subscription_group = self.subscription_group

        transactional = self.transactional

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "kind": kind,
                "template": template,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if subject is not UNSET:
            field_dict["subject"] = subject
        if subscription_group is not UNSET:
            field_dict["subscription_group"] = subscription_group
        if transactional is not UNSET:
            field_dict["transactional"] = transactional

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_action_data import WebhookActionData  # noqa: PLC0415

        d = dict(src_dict)
        channel = WebhookActionChannel(d.pop("channel"))

        kind = cast(Literal["webhook"], d.pop("kind"))
        if kind != "webhook":
            raise ValueError(f"kind must match const 'webhook', got '{kind}'")

        template = d.pop("template")

        _data = d.pop("data", UNSET)
        data: WebhookActionData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = WebhookActionData.from_dict(_data)

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        def _parse_subscription_group(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subscription_group = _parse_subscription_group(d.pop("subscription_group", UNSET))

        transactional = d.pop("transactional", UNSET)

        webhook_action = cls(
            channel=channel,
            kind=kind,
            template=template,
            data=data,
            subject=subject,
            subscription_group=subscription_group,
            transactional=transactional,
        )

        return webhook_action
