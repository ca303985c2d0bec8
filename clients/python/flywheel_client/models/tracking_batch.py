from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alias_call import AliasCall
    from ..models.group_call import GroupCall
    from ..models.identify_call import IdentifyCall
    from ..models.page_call import PageCall
    from ..models.screen_call import ScreenCall
    from ..models.track_call import TrackCall
    from ..models.tracking_context import TrackingContext


T = TypeVar("T", bound="TrackingBatch")


@_attrs_define
class TrackingBatch:
    """What the SDKs send (they always post `/v1/batch`): at most the gateway's batch size of messages and
    MAX_BATCH_BYTES decompressed; `context` and `integrations` apply to every message.

        Attributes:
            batch (list[AliasCall | GroupCall | IdentifyCall | PageCall | ScreenCall | TrackCall]):
            context (None | TrackingContext | Unset):
    """

    batch: list[AliasCall | GroupCall | IdentifyCall | PageCall | ScreenCall | TrackCall]
    context: None | TrackingContext | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.alias_call import AliasCall  # noqa: PLC0415
        from ..models.identify_call import IdentifyCall  # noqa: PLC0415
        from ..models.page_call import PageCall  # noqa: PLC0415
        from ..models.screen_call import ScreenCall  # noqa: PLC0415
        from ..models.track_call import TrackCall  # noqa: PLC0415
        from ..models.tracking_context import TrackingContext  # noqa: PLC0415

        batch = []
        for batch_item_data in self.batch:
            batch_item: dict[str, Any]
            if isinstance(batch_item_data, TrackCall):
                batch_item = batch_item_data.to_dict()
            elif isinstance(batch_item_data, IdentifyCall):
                batch_item = batch_item_data.to_dict()
            elif isinstance(batch_item_data, PageCall):
                batch_item = batch_item_data.to_dict()
            elif isinstance(batch_item_data, ScreenCall):
                batch_item = batch_item_data.to_dict()
            elif isinstance(batch_item_data, AliasCall):
                batch_item = batch_item_data.to_dict()
            else:
                batch_item = batch_item_data.to_dict()

            batch.append(batch_item)

        context: dict[str, Any] | None | Unset
        if isinstance(self.context, Unset):
            context = UNSET
        elif isinstance(self.context, TrackingContext):
            context = self.context.to_dict()
        else:
            context = self.context

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "batch": batch,
            }
        )
        if context is not UNSET:
            field_dict["context"] = context

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alias_call import AliasCall  # noqa: PLC0415
        from ..models.group_call import GroupCall  # noqa: PLC0415
        from ..models.identify_call import IdentifyCall  # noqa: PLC0415
        from ..models.page_call import PageCall  # noqa: PLC0415
        from ..models.screen_call import ScreenCall  # noqa: PLC0415
        from ..models.track_call import TrackCall  # noqa: PLC0415
        from ..models.tracking_context import TrackingContext  # noqa: PLC0415

        d = dict(src_dict)
        batch = []
        _batch = d.pop("batch")
        for batch_item_data in _batch:

            def _parse_batch_item(
                data: object,
            ) -> AliasCall | GroupCall | IdentifyCall | PageCall | ScreenCall | TrackCall:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    batch_item_type_0 = TrackCall.from_dict(data)

                    return batch_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    batch_item_type_1 = IdentifyCall.from_dict(data)

                    return batch_item_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    batch_item_type_2 = PageCall.from_dict(data)

                    return batch_item_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    batch_item_type_3 = ScreenCall.from_dict(data)

                    return batch_item_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    batch_item_type_4 = AliasCall.from_dict(data)

                    return batch_item_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                batch_item_type_5 = GroupCall.from_dict(data)

                return batch_item_type_5

            batch_item = _parse_batch_item(batch_item_data)

            batch.append(batch_item)

        def _parse_context(data: object) -> None | TrackingContext | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                context_type_0 = TrackingContext.from_dict(data)

                return context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackingContext | Unset, data)

        context = _parse_context(d.pop("context", UNSET))

        tracking_batch = cls(
            batch=batch,
            context=context,
        )

        tracking_batch.additional_properties = d
        return tracking_batch

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
