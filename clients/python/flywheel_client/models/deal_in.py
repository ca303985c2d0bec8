from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.deal_in_fields import DealInFields


T = TypeVar("T", bound="DealIn")


@_attrs_define
class DealIn:
    """
    Attributes:
        amount (float | str): Decimal string (or a JSON number up to 10^13), at most 2 decimals.
        currency (str): ISO 4217 code.
        customer_id (str):
        title (str):
        fields (DealInFields | Unset): Custom fields that stages may require: at most 50, each value at most 4 KB of
            JSON nested at most 8 levels deep.
        owner (None | str | Unset): Defaults to the customer's owner.
        pipeline_id (str | Unset):  Default: 'repurchase_upsell'.
        products (list[str] | Unset):
        stage (None | str | Unset): Defaults to the pipeline's first stage.
    """

    amount: float | str
    currency: str
    customer_id: str
    title: str
    fields: DealInFields | Unset = UNSET
    owner: None | str | Unset = UNSET
    pipeline_id: str | Unset = "repurchase_upsell"
    products: list[str] | Unset = UNSET
    stage: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        currency = self.currency

        customer_id = self.customer_id

        title = self.title

        fields: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields.to_dict()

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        pipeline_id = self.pipeline_id

        products: list[str] | Unset = UNSET
        if not isinstance(self.products, Unset):
            products = self.products

        stage: None | str | Unset
        if isinstance(self.stage, Unset):
            stage = UNSET
        else:
            stage = self.stage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "currency": currency,
                "customer_id": customer_id,
                "title": title,
            }
        )
        if fields is not UNSET:
            field_dict["fields"] = fields
        if owner is not UNSET:
            field_dict["owner"] = owner
        if pipeline_id is not UNSET:
            field_dict["pipeline_id"] = pipeline_id
        if products is not UNSET:
            field_dict["products"] = products
        if stage is not UNSET:
            field_dict["stage"] = stage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.deal_in_fields import DealInFields  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        currency = d.pop("currency")

        customer_id = d.pop("customer_id")

        title = d.pop("title")

        _fields = d.pop("fields", UNSET)
        fields: DealInFields | Unset
        if isinstance(_fields, Unset):
            fields = UNSET
        else:
            fields = DealInFields.from_dict(_fields)

        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        pipeline_id = d.pop("pipeline_id", UNSET)

        products = cast(list[str], d.pop("products", UNSET))

        def _parse_stage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stage = _parse_stage(d.pop("stage", UNSET))

        deal_in = cls(
            amount=amount,
            currency=currency,
            customer_id=customer_id,
            title=title,
            fields=fields,
            owner=owner,
            pipeline_id=pipeline_id,
            products=products,
            stage=stage,
        )

        return deal_in
