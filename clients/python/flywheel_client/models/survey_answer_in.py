from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SurveyAnswerIn")


@_attrs_define
class SurveyAnswerIn:
    """An answer to the survey a link asked: the score(s) asked for, and optionally the customer's own words.

    Attributes:
        comment (None | str | Unset): The customer's own words, at most 2000 characters.
        csat (int | None | Unset): 1-5 (a `csat` or `both` survey).
        nps (int | None | Unset): 0-10 (an `nps` or `both` survey).
        token (None | str | Unset): The link's token, when not given as the `token` query parameter.
    """

    comment: None | str | Unset = UNSET
    csat: int | None | Unset = UNSET
    nps: int | None | Unset = UNSET
    token: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        csat: int | None | Unset
        if isinstance(self.csat, Unset):
            csat = UNSET
        else:
            csat = self.csat

        nps: int | None | Unset
        if isinstance(self.nps, Unset):
            nps = UNSET
        else:
            nps = self.nps

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if comment is not UNSET:
            field_dict["comment"] = comment
        if csat is not UNSET:
            field_dict["csat"] = csat
        if nps is not UNSET:
            field_dict["nps"] = nps
        if token is not UNSET:
            field_dict["token"] = token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_csat(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        csat = _parse_csat(d.pop("csat", UNSET))

        def _parse_nps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nps = _parse_nps(d.pop("nps", UNSET))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        survey_answer_in = cls(
            comment=comment,
            csat=csat,
            nps=nps,
            token=token,
        )

        return survey_answer_in
