from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.coupon_action import CouponAction
    from ..models.points_action import PointsAction
    from ..models.referral_invite_action import ReferralInviteAction
    from ..models.sales_task_action import SalesTaskAction
    from ..models.set_attribute_action import SetAttributeAction
    from ..models.survey_action import SurveyAction
    from ..models.tag_action import TagAction
    from ..models.webhook_action import WebhookAction


T = TypeVar("T", bound="ActionStep")


@_attrs_define
class ActionStep:
    """
    Attributes:
        action (CouponAction | PointsAction | ReferralInviteAction | SalesTaskAction | SetAttributeAction | SurveyAction
            | TagAction | WebhookAction):
        next_ (str):
        type_ (Literal['action']):
    """

    action: (
        CouponAction
        | PointsAction
        | ReferralInviteAction
        | SalesTaskAction
        | SetAttributeAction
        | SurveyAction
        | TagAction
        | WebhookAction
    )
    next_: str
    type_: Literal["action"]

    def to_dict(self) -> dict[str, Any]:
        from ..models.coupon_action import CouponAction  # noqa: PLC0415
        from ..models.referral_invite_action import ReferralInviteAction  # noqa: PLC0415
        from ..models.sales_task_action import SalesTaskAction  # noqa: PLC0415
        from ..models.set_attribute_action import SetAttributeAction  # noqa: PLC0415
        from ..models.survey_action import SurveyAction  # noqa: PLC0415
        from ..models.tag_action import TagAction  # noqa: PLC0415
        from ..models.webhook_action import WebhookAction  # noqa: PLC0415

        action: dict[str, Any]
        if isinstance(self.action, WebhookAction):
            action = self.action.to_dict()
        elif isinstance(self.action, SalesTaskAction):
            action = self.action.to_dict()
        elif isinstance(self.action, TagAction):
            action = self.action.to_dict()
        elif isinstance(self.action, SetAttributeAction):
            action = self.action.to_dict()
        elif isinstance(self.action, CouponAction):
            action = self.action.to_dict()
        elif isinstance(self.action, ReferralInviteAction):
            action = self.action.to_dict()
        elif isinstance(self.action, SurveyAction):
            action = self.action.to_dict()
        else:
            action = self.action.to_dict()

        next_ = self.next_

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "action": action,
                "next": next_,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coupon_action import CouponAction  # noqa: PLC0415
        from ..models.points_action import PointsAction  # noqa: PLC0415
        from ..models.referral_invite_action import ReferralInviteAction  # noqa: PLC0415
        from ..models.sales_task_action import SalesTaskAction  # noqa: PLC0415
        from ..models.set_attribute_action import SetAttributeAction  # noqa: PLC0415
        from ..models.survey_action import SurveyAction  # noqa: PLC0415
        from ..models.tag_action import TagAction  # noqa: PLC0415
        from ..models.webhook_action import WebhookAction  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_action(
            data: object,
        ) -> (
            CouponAction
            | PointsAction
            | ReferralInviteAction
            | SalesTaskAction
            | SetAttributeAction
            | SurveyAction
            | TagAction
            | WebhookAction
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_0 = WebhookAction.from_dict(data)

                return action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_1 = SalesTaskAction.from_dict(data)

                return action_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_2 = TagAction.from_dict(data)

                return action_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_3 = SetAttributeAction.from_dict(data)

                return action_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_4 = CouponAction.from_dict(data)

                return action_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_5 = ReferralInviteAction.from_dict(data)

                return action_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                action_type_6 = SurveyAction.from_dict(data)

                return action_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            action_type_7 = PointsAction.from_dict(data)

            return action_type_7

        action = _parse_action(d.pop("action"))

        next_ = d.pop("next")

        type_ = cast(Literal["action"], d.pop("type"))
        if type_ != "action":
            raise ValueError(f"type must match const 'action', got '{type_}'")

        action_step = cls(
            action=action,
            next_=next_,
            type_=type_,
        )

        return action_step
