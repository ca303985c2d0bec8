from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.survey_action_channel import SurveyActionChannel
from ..models.survey_action_question import SurveyActionQuestion
from ..types import UNSET, Unset

T = TypeVar("T", bound="SurveyAction")


@_attrs_define
class SurveyAction:
    """Asks for an NPS and/or CSAT answer through the workspace's webhook, as a `webhook` action sends a message:
    the delivery carries `survey` (survey_id, question, answer_url, expires_at), the answer URL a signed one-time
    link to the gateway's POST /v1/survey-answers (runtime/survey_links.py), valid for `link_ttl`.

        Attributes:
            kind (Literal['survey']):
            survey_id (str):
            channel (SurveyActionChannel | Unset):  Default: SurveyActionChannel.EMAIL.
            link_ttl (str | Unset):  Default: '14d'.
            question (SurveyActionQuestion | Unset):  Default: SurveyActionQuestion.NPS.
            subject (None | str | Unset):
            subscription_group (None | str | Unset):
            template (None | str | Unset):
            transactional (bool | Unset):  Default: False.
    """

    kind: Literal["survey"]
    survey_id: str
    channel: SurveyActionChannel | Unset = SurveyActionChannel.EMAIL
    link_ttl: str | Unset = "14d"
    question: SurveyActionQuestion | Unset = SurveyActionQuestion.NPS
    subject: None | str | Unset = UNSET
    subscription_group: None | str | Unset = UNSET
    template: None | str | Unset = UNSET
    transactional: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        survey_id = self.survey_id

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value

        link_ttl = self.link_ttl

        question: str | Unset = UNSET
        if not isinstance(self.question, Unset):
            question = self.question.value

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

        template: None | str | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        else:
            template = self.template

        transactional = self.transactional

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "survey_id": survey_id,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if link_ttl is not UNSET:
            field_dict["link_ttl"] = link_ttl
        if question is not UNSET:
            field_dict["question"] = question
        if subject is not UNSET:
            field_dict["subject"] = subject
        if subscription_group is not UNSET:
            field_dict["subscription_group"] = subscription_group
        if template is not UNSET:
            field_dict["template"] = template
        if transactional is not UNSET:
            field_dict["transactional"] = transactional

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["survey"], d.pop("kind"))
        if kind != "survey":
            raise ValueError(f"kind must match const 'survey', got '{kind}'")

        survey_id = d.pop("survey_id")

        _channel = d.pop("channel", UNSET)
        channel: SurveyActionChannel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = SurveyActionChannel(_channel)

        link_ttl = d.pop("link_ttl", UNSET)

        _question = d.pop("question", UNSET)
        question: SurveyActionQuestion | Unset
        if isinstance(_question, Unset):
            question = UNSET
        else:
            question = SurveyActionQuestion(_question)

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

        def _parse_template(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        transactional = d.pop("transactional", UNSET)

        survey_action = cls(
            kind=kind,
            survey_id=survey_id,
            channel=channel,
            link_ttl=link_ttl,
            question=question,
            subject=subject,
            subscription_group=subscription_group,
            template=template,
            transactional=transactional,
        )

        return survey_action
