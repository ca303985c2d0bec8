"""Contains all the data models used in inputs/outputs"""

from .acquisition import Acquisition
from .acquisition_report import AcquisitionReport
from .acquisition_row import AcquisitionRow
from .attribute_definition import AttributeDefinition
from .attribute_list import AttributeList
from .audit_entry import AuditEntry
from .audit_entry_outcome import AuditEntryOutcome
from .audit_page import AuditPage
from .channel_cap_in import ChannelCapIn
from .channel_cap_view import ChannelCapView
from .channel_in import ChannelIn
from .channel_view import ChannelView
from .churn_scores import ChurnScores
from .churn_scores_risk import ChurnScoresRisk
from .close_in import CloseIn
from .code_in import CodeIn
from .complete_in import CompleteIn
from .consent_data import ConsentData
from .consent_data_status import ConsentDataStatus
from .consent_event import ConsentEvent
from .consent_record import ConsentRecord
from .consent_record_status import ConsentRecordStatus
from .conversion import Conversion
from .create_from_template_v1_journey_templates_name_post_body_type_0 import (
    CreateFromTemplateV1JourneyTemplatesNamePostBodyType0,
)
from .create_journey_v1_journeys_post_body import CreateJourneyV1JourneysPostBody
from .create_program_v1_referral_programs_post_body import CreateProgramV1ReferralProgramsPostBody
from .cross_sell import CrossSell
from .custom_data import CustomData
from .custom_event import CustomEvent
from .customer_360 import Customer360
from .customer_360_traits import Customer360Traits
from .customer_consent import CustomerConsent
from .customer_deal import CustomerDeal
from .customer_deal_status import CustomerDealStatus
from .customer_journey import CustomerJourney
from .customer_journey_list import CustomerJourneyList
from .customer_journey_status import CustomerJourneyStatus
from .customer_page import CustomerPage
from .customer_ref import CustomerRef
from .customer_scores import CustomerScores
from .customer_segment import CustomerSegment
from .customer_simulation import CustomerSimulation
from .customer_simulation_ended import CustomerSimulationEnded
from .customer_stats import CustomerStats
from .customer_task import CustomerTask
from .customer_task_status import CustomerTaskStatus
from .customer_view import CustomerView
from .customer_view_traits import CustomerViewTraits
from .deal import Deal
from .deal_fields import DealFields
from .deal_in import DealIn
from .deal_in_fields import DealInFields
from .deal_page import DealPage
from .deal_patch import DealPatch
from .deal_patch_fields_type_0 import DealPatchFieldsType0
from .deal_status import DealStatus
from .deal_summary import DealSummary
from .deal_summary_status import DealSummaryStatus
from .decision_in import DecisionIn
from .delivery_counts import DeliveryCounts
from .delivery_counts_suppressed_reasons import DeliveryCountsSuppressedReasons
from .difference import Difference
from .distributions import Distributions
from .distributions_churn_risk_type_0 import DistributionsChurnRiskType0
from .distributions_loyalty_tiers_type_0 import DistributionsLoyaltyTiersType0
from .distributions_rfm_segments_type_0 import DistributionsRfmSegmentsType0
from .enum_attribute_in import EnumAttributeIn
from .erasure_accepted import ErasureAccepted
from .event_error import EventError
from .event_type_counts import EventTypeCounts
from .event_type_in import EventTypeIn
from .event_type_in_schema import EventTypeInSchema
from .event_type_in_unknown_fields import EventTypeInUnknownFields
from .event_type_info import EventTypeInfo
from .event_type_info_schema_type_0 import EventTypeInfoSchemaType0
from .event_type_info_unknown_fields_type_0 import EventTypeInfoUnknownFieldsType0
from .event_type_list import EventTypeList
from .event_type_version import EventTypeVersion
from .event_type_version_unknown_fields import EventTypeVersionUnknownFields
from .events_accepted import EventsAccepted
from .events_rejected import EventsRejected
from .export_customer_v1_customers_customer_id_export_get_response_200 import (
    ExportCustomerV1CustomersCustomerIdExportGetResponse200,
)
from .field_error import FieldError
from .forecast_month import ForecastMonth
from .funnel import Funnel
from .group_outcome import GroupOutcome
from .held_back_count import HeldBackCount
from .held_back_count_outcome import HeldBackCountOutcome
from .held_back_message import HeldBackMessage
from .hold import Hold
from .holdout_stats import HoldoutStats
from .identifiers import Identifiers
from .identify_data import IdentifyData
from .identify_data_traits import IdentifyDataTraits
from .identify_event import IdentifyEvent
from .identity_conflict import IdentityConflict
from .identity_conflict_identifier_kind import IdentityConflictIdentifierKind
from .identity_conflict_page import IdentityConflictPage
from .identity_conflict_rule import IdentityConflictRule
from .identity_settings import IdentitySettings
from .identity_settings_in import IdentitySettingsIn
from .identity_settings_in_weak_identifier_kinds_type_0_item import IdentitySettingsInWeakIdentifierKindsType0Item
from .identity_settings_weak_identifier_kinds_item import IdentitySettingsWeakIdentifierKindsItem
from .joined_identifier import JoinedIdentifier
from .joined_identifier_kind import JoinedIdentifierKind
from .journey import Journey
from .journey_document import JourneyDocument
from .journey_lift import JourneyLift
from .journey_page import JourneyPage
from .journey_simulation import JourneySimulation
from .journey_stats import JourneyStats
from .journey_status import JourneyStatus
from .journey_summary import JourneySummary
from .journey_summary_status import JourneySummaryStatus
from .journey_template import JourneyTemplate
from .journey_template_list import JourneyTemplateList
from .journey_validity import JourneyValidity
from .key import Key
from .key_in import KeyIn
from .key_in_scopes_item import KeyInScopesItem
from .key_page import KeyPage
from .key_scopes_item import KeyScopesItem
from .key_with_secret import KeyWithSecret
from .key_with_secret_scopes_item import KeyWithSecretScopesItem
from .kpi import Kpi
from .kpi_node import KpiNode
from .kpi_node_sources_item import KpiNodeSourcesItem
from .kpi_node_status import KpiNodeStatus
from .kpi_node_unit import KpiNodeUnit
from .kpi_source import KpiSource
from .kpi_target import KpiTarget
from .kpi_target_in import KpiTargetIn
from .kpi_target_in_metric import KpiTargetInMetric
from .kpi_target_metric import KpiTargetMetric
from .kpi_targets import KpiTargets
from .kpi_targets_in import KpiTargetsIn
from .kpi_tree import KpiTree
from .kpi_tree_behaviour import KpiTreeBehaviour
from .kpi_tree_financial import KpiTreeFinancial
from .kpi_tree_scale import KpiTreeScale
from .kpi_unit import KpiUnit
from .lead_rules import LeadRules
from .lead_rules_rules_item import LeadRulesRulesItem
from .lead_score import LeadScore
from .ledger_total import LedgerTotal
from .ledger_total_kind import LedgerTotalKind
from .line_item import LineItem
from .list_deals_v1_deals_get_status_type_0 import ListDealsV1DealsGetStatusType0
from .list_journeys_v1_journeys_get_status_type_0 import ListJourneysV1JourneysGetStatusType0
from .list_tasks_v1_tasks_get_status_type_0 import ListTasksV1TasksGetStatusType0
from .loss_in import LossIn
from .loyalty_program import LoyaltyProgram
from .loyalty_program_document import LoyaltyProgramDocument
from .ltv_comparison import LtvComparison
from .ltv_scores import LtvScores
from .member_points import MemberPoints
from .merge_cause import MergeCause
from .merge_page import MergePage
from .merge_record import MergeRecord
from .merge_undo_in import MergeUndoIn
from .merge_undone import MergeUndone
from .messaging_settings import MessagingSettings
from .messaging_settings_caps import MessagingSettingsCaps
from .messaging_settings_in import MessagingSettingsIn
from .messaging_settings_in_caps import MessagingSettingsInCaps
from .move_in import MoveIn
from .nps_counts import NpsCounts
from .nps_group import NpsGroup
from .nps_month import NpsMonth
from .nps_report import NpsReport
from .other_currency import OtherCurrency
from .overview import Overview
from .overview_kpis import OverviewKpis
from .owner import Owner
from .owner_in import OwnerIn
from .period import Period
from .pipeline import Pipeline
from .pipeline_document import PipelineDocument
from .pipeline_list import PipelineList
from .pipeline_value import PipelineValue
from .plain_attribute_in import PlainAttributeIn
from .plain_attribute_in_type import PlainAttributeInType
from .points_lot import PointsLot
from .points_short import PointsShort
from .problem import Problem
from .program import Program
from .program_document import ProgramDocument
from .program_page import ProgramPage
from .program_stats import ProgramStats
from .purchase_data import PurchaseData
from .purchase_event import PurchaseEvent
from .put_journey_v1_journeys_journey_id_put_body import PutJourneyV1JourneysJourneyIdPutBody
from .put_lead_rules_v1_lead_rules_put_body import PutLeadRulesV1LeadRulesPutBody
from .put_loyalty_program_v1_loyalty_program_put_body import PutLoyaltyProgramV1LoyaltyProgramPutBody
from .put_pipeline_v1_pipelines_pipeline_id_put_body import PutPipelineV1PipelinesPipelineIdPutBody
from .put_program_v1_referral_programs_program_id_put_body import PutProgramV1ReferralProgramsProgramIdPutBody
from .quota_usage import QuotaUsage
from .quotas import Quotas
from .quote import Quote
from .quote_in import QuoteIn
from .quote_line import QuoteLine
from .quote_line_in import QuoteLineIn
from .quote_status import QuoteStatus
from .reconsent_in import ReconsentIn
from .reconsented import Reconsented
from .reconsented_identifier import ReconsentedIdentifier
from .redemption import Redemption
from .redemption_in import RedemptionIn
from .redemption_status import RedemptionStatus
from .referral_code import ReferralCode
from .referral_code_issued import ReferralCodeIssued
from .referral_data import ReferralData
from .referral_data_action import ReferralDataAction
from .referral_event import ReferralEvent
from .referral_ledger import ReferralLedger
from .referral_link import ReferralLink
from .referral_link_role import ReferralLinkRole
from .referral_reward import ReferralReward
from .referral_reward_role import ReferralRewardRole
from .refund_data import RefundData
from .refund_event import RefundEvent
from .report_settings import ReportSettings
from .retention_cohort_row import RetentionCohortRow
from .retention_report_out import RetentionReportOut
from .retention_report_out_granularity import RetentionReportOutGranularity
from .retention_report_v1_reports_retention_get_period import RetentionReportV1ReportsRetentionGetPeriod
from .review_in import ReviewIn
from .review_item import ReviewItem
from .review_item_role import ReviewItemRole
from .review_page import ReviewPage
from .rfm_scores import RfmScores
from .rule_points import RulePoints
from .sales_analytics import SalesAnalytics
from .sales_forecast import SalesForecast
from .sales_settings import SalesSettings
from .sales_settings_high_value_segments_item import SalesSettingsHighValueSegmentsItem
from .sales_settings_in import SalesSettingsIn
from .sales_settings_in_high_value_segments_item import SalesSettingsInHighValueSegmentsItem
from .search_customers_v1_customers_search_get_churn_risk_type_0 import (
    SearchCustomersV1CustomersSearchGetChurnRiskType0,
)
from .search_customers_v1_customers_search_get_rfm_segment_type_0 import (
    SearchCustomersV1CustomersSearchGetRfmSegmentType0,
)
from .search_customers_v1_customers_search_get_sort import SearchCustomersV1CustomersSearchGetSort
from .segment import Segment
from .segment_condition import SegmentCondition
from .segment_failure import SegmentFailure
from .segment_field import SegmentField
from .segment_in import SegmentIn
from .segment_in_condition import SegmentInCondition
from .segment_member import SegmentMember
from .segment_member_page import SegmentMemberPage
from .segment_page import SegmentPage
from .segment_report_out import SegmentReportOut
from .segment_report_out_churn_mix import SegmentReportOutChurnMix
from .segment_size import SegmentSize
from .segment_status import SegmentStatus
from .shared_identifier_limit import SharedIdentifierLimit
from .shared_identifier_limit_kind import SharedIdentifierLimitKind
from .shared_identifier_limit_other_kind import SharedIdentifierLimitOtherKind
from .shared_identifier_limit_view import SharedIdentifierLimitView
from .shared_identifier_limit_view_kind import SharedIdentifierLimitViewKind
from .shared_identifier_limit_view_other_kind import SharedIdentifierLimitViewOtherKind
from .simulated_action import SimulatedAction
from .simulated_action_detail import SimulatedActionDetail
from .simulated_message import SimulatedMessage
from .simulated_step import SimulatedStep
from .simulated_wait import SimulatedWait
from .simulation_in import SimulationIn
from .simulation_summary import SimulationSummary
from .simulation_summary_ended import SimulationSummaryEnded
from .simulation_summary_held_back import SimulationSummaryHeldBack
from .simulation_summary_messages import SimulationSummaryMessages
from .spend_accepted import SpendAccepted
from .spend_amount import SpendAmount
from .spend_in import SpendIn
from .spend_page import SpendPage
from .spend_row import SpendRow
from .spend_row_in import SpendRowIn
from .stage_entry import StageEntry
from .stage_time import StageTime
from .step_count import StepCount
from .subscription_group import SubscriptionGroup
from .subscription_group_default import SubscriptionGroupDefault
from .subscription_group_in import SubscriptionGroupIn
from .subscription_group_in_channel import SubscriptionGroupInChannel
from .subscription_group_in_default import SubscriptionGroupInDefault
from .subscription_group_list import SubscriptionGroupList
from .suggestion import Suggestion
from .suppressions_changed import SuppressionsChanged
from .suppressions_in import SuppressionsIn
from .survey_answer_accepted import SurveyAnswerAccepted
from .survey_answer_in import SurveyAnswerIn
from .survey_data import SurveyData
from .survey_event import SurveyEvent
from .task import Task
from .task_detail import TaskDetail
from .task_detail_status import TaskDetailStatus
from .task_in import TaskIn
from .task_in_assignee_rule import TaskInAssigneeRule
from .task_page import TaskPage
from .task_status import TaskStatus
from .team_in import TeamIn
from .team_view import TeamView
from .template_parameter import TemplateParameter
from .ticket_data import TicketData
from .ticket_data_status import TicketDataStatus
from .ticket_event import TicketEvent
from .tier_status import TierStatus
from .timeline_item import TimelineItem
from .timeline_item_data import TimelineItemData
from .timeline_page import TimelinePage
from .unsubscribe_preview import UnsubscribePreview
from .unsubscribed import Unsubscribed
from .validate_journey_v1_journeys_validate_post_body import ValidateJourneyV1JourneysValidatePostBody
from .variant_stats import VariantStats
from .visit_data import VisitData
from .visit_event import VisitEvent

__all__ = (
    "Acquisition",
    "AcquisitionReport",
    "AcquisitionRow",
    "AttributeDefinition",
    "AttributeList",
    "AuditEntry",
    "AuditEntryOutcome",
    "AuditPage",
    "ChannelCapIn",
    "ChannelCapView",
    "ChannelIn",
    "ChannelView",
    "ChurnScores",
    "ChurnScoresRisk",
    "CloseIn",
    "CodeIn",
    "CompleteIn",
    "ConsentData",
    "ConsentDataStatus",
    "ConsentEvent",
    "ConsentRecord",
    "ConsentRecordStatus",
    "Conversion",
    "CreateFromTemplateV1JourneyTemplatesNamePostBodyType0",
    "CreateJourneyV1JourneysPostBody",
    "CreateProgramV1ReferralProgramsPostBody",
    "CrossSell",
    "CustomData",
    "Customer360",
    "Customer360Traits",
    "CustomerConsent",
    "CustomerDeal",
    "CustomerDealStatus",
    "CustomerJourney",
    "CustomerJourneyList",
    "CustomerJourneyStatus",
    "CustomerPage",
    "CustomerRef",
    "CustomerScores",
    "CustomerSegment",
    "CustomerSimulation",
    "CustomerSimulationEnded",
    "CustomerStats",
    "CustomerTask",
    "CustomerTaskStatus",
    "CustomerView",
    "CustomerViewTraits",
    "CustomEvent",
    "Deal",
    "DealFields",
    "DealIn",
    "DealInFields",
    "DealPage",
    "DealPatch",
    "DealPatchFieldsType0",
    "DealStatus",
    "DealSummary",
    "DealSummaryStatus",
    "DecisionIn",
    "DeliveryCounts",
    "DeliveryCountsSuppressedReasons",
    "Difference",
    "Distributions",
    "DistributionsChurnRiskType0",
    "DistributionsLoyaltyTiersType0",
    "DistributionsRfmSegmentsType0",
    "EnumAttributeIn",
    "ErasureAccepted",
    "EventError",
    "EventsAccepted",
    "EventsRejected",
    "EventTypeCounts",
    "EventTypeIn",
    "EventTypeInfo",
    "EventTypeInfoSchemaType0",
    "EventTypeInfoUnknownFieldsType0",
    "EventTypeInSchema",
    "EventTypeInUnknownFields",
    "EventTypeList",
    "EventTypeVersion",
    "EventTypeVersionUnknownFields",
    "ExportCustomerV1CustomersCustomerIdExportGetResponse200",
    "FieldError",
    "ForecastMonth",
    "Funnel",
    "GroupOutcome",
    "HeldBackCount",
    "HeldBackCountOutcome",
    "HeldBackMessage",
    "Hold",
    "HoldoutStats",
    "Identifiers",
    "IdentifyData",
    "IdentifyDataTraits",
    "IdentifyEvent",
    "IdentityConflict",
    "IdentityConflictIdentifierKind",
    "IdentityConflictPage",
    "IdentityConflictRule",
    "IdentitySettings",
    "IdentitySettingsIn",
    "IdentitySettingsInWeakIdentifierKindsType0Item",
    "IdentitySettingsWeakIdentifierKindsItem",
    "JoinedIdentifier",
    "JoinedIdentifierKind",
    "Journey",
    "JourneyDocument",
    "JourneyLift",
    "JourneyPage",
    "JourneySimulation",
    "JourneyStats",
    "JourneyStatus",
    "JourneySummary",
    "JourneySummaryStatus",
    "JourneyTemplate",
    "JourneyTemplateList",
    "JourneyValidity",
    "Key",
    "KeyIn",
    "KeyInScopesItem",
    "KeyPage",
    "KeyScopesItem",
    "KeyWithSecret",
    "KeyWithSecretScopesItem",
    "Kpi",
    "KpiNode",
    "KpiNodeSourcesItem",
    "KpiNodeStatus",
    "KpiNodeUnit",
    "KpiSource",
    "KpiTarget",
    "KpiTargetIn",
    "KpiTargetInMetric",
    "KpiTargetMetric",
    "KpiTargets",
    "KpiTargetsIn",
    "KpiTree",
    "KpiTreeBehaviour",
    "KpiTreeFinancial",
    "KpiTreeScale",
    "KpiUnit",
    "LeadRules",
    "LeadRulesRulesItem",
    "LeadScore",
    "LedgerTotal",
    "LedgerTotalKind",
    "LineItem",
    "ListDealsV1DealsGetStatusType0",
    "ListJourneysV1JourneysGetStatusType0",
    "ListTasksV1TasksGetStatusType0",
    "LossIn",
    "LoyaltyProgram",
    "LoyaltyProgramDocument",
    "LtvComparison",
    "LtvScores",
    "MemberPoints",
    "MergeCause",
    "MergePage",
    "MergeRecord",
    "MergeUndoIn",
    "MergeUndone",
    "MessagingSettings",
    "MessagingSettingsCaps",
    "MessagingSettingsIn",
    "MessagingSettingsInCaps",
    "MoveIn",
    "NpsCounts",
    "NpsGroup",
    "NpsMonth",
    "NpsReport",
    "OtherCurrency",
    "Overview",
    "OverviewKpis",
    "Owner",
    "OwnerIn",
    "Period",
    "Pipeline",
    "PipelineDocument",
    "PipelineList",
    "PipelineValue",
    "PlainAttributeIn",
    "PlainAttributeInType",
    "PointsLot",
    "PointsShort",
    "Problem",
    "Program",
    "ProgramDocument",
    "ProgramPage",
    "ProgramStats",
    "PurchaseData",
    "PurchaseEvent",
    "PutJourneyV1JourneysJourneyIdPutBody",
    "PutLeadRulesV1LeadRulesPutBody",
    "PutLoyaltyProgramV1LoyaltyProgramPutBody",
    "PutPipelineV1PipelinesPipelineIdPutBody",
    "PutProgramV1ReferralProgramsProgramIdPutBody",
    "Quotas",
    "QuotaUsage",
    "Quote",
    "QuoteIn",
    "QuoteLine",
    "QuoteLineIn",
    "QuoteStatus",
    "Reconsented",
    "ReconsentedIdentifier",
    "ReconsentIn",
    "Redemption",
    "RedemptionIn",
    "RedemptionStatus",
    "ReferralCode",
    "ReferralCodeIssued",
    "ReferralData",
    "ReferralDataAction",
    "ReferralEvent",
    "ReferralLedger",
    "ReferralLink",
    "ReferralLinkRole",
    "ReferralReward",
    "ReferralRewardRole",
    "RefundData",
    "RefundEvent",
    "ReportSettings",
    "RetentionCohortRow",
    "RetentionReportOut",
    "RetentionReportOutGranularity",
    "RetentionReportV1ReportsRetentionGetPeriod",
    "ReviewIn",
    "ReviewItem",
    "ReviewItemRole",
    "ReviewPage",
    "RfmScores",
    "RulePoints",
    "SalesAnalytics",
    "SalesForecast",
    "SalesSettings",
    "SalesSettingsHighValueSegmentsItem",
    "SalesSettingsIn",
    "SalesSettingsInHighValueSegmentsItem",
    "SearchCustomersV1CustomersSearchGetChurnRiskType0",
    "SearchCustomersV1CustomersSearchGetRfmSegmentType0",
    "SearchCustomersV1CustomersSearchGetSort",
    "Segment",
    "SegmentCondition",
    "SegmentFailure",
    "SegmentField",
    "SegmentIn",
    "SegmentInCondition",
    "SegmentMember",
    "SegmentMemberPage",
    "SegmentPage",
    "SegmentReportOut",
    "SegmentReportOutChurnMix",
    "SegmentSize",
    "SegmentStatus",
    "SharedIdentifierLimit",
    "SharedIdentifierLimitKind",
    "SharedIdentifierLimitOtherKind",
    "SharedIdentifierLimitView",
    "SharedIdentifierLimitViewKind",
    "SharedIdentifierLimitViewOtherKind",
    "SimulatedAction",
    "SimulatedActionDetail",
    "SimulatedMessage",
    "SimulatedStep",
    "SimulatedWait",
    "SimulationIn",
    "SimulationSummary",
    "SimulationSummaryEnded",
    "SimulationSummaryHeldBack",
    "SimulationSummaryMessages",
    "SpendAccepted",
    "SpendAmount",
    "SpendIn",
    "SpendPage",
    "SpendRow",
    "SpendRowIn",
    "StageEntry",
    "StageTime",
    "StepCount",
    "SubscriptionGroup",
    "SubscriptionGroupDefault",
    "SubscriptionGroupIn",
    "SubscriptionGroupInChannel",
    "SubscriptionGroupInDefault",
    "SubscriptionGroupList",
    "Suggestion",
    "SuppressionsChanged",
    "SuppressionsIn",
    "SurveyAnswerAccepted",
    "SurveyAnswerIn",
    "SurveyData",
    "SurveyEvent",
    "Task",
    "TaskDetail",
    "TaskDetailStatus",
    "TaskIn",
    "TaskInAssigneeRule",
    "TaskPage",
    "TaskStatus",
    "TeamIn",
    "TeamView",
    "TemplateParameter",
    "TicketData",
    "TicketDataStatus",
    "TicketEvent",
    "TierStatus",
    "TimelineItem",
    "TimelineItemData",
    "TimelinePage",
    "Unsubscribed",
    "UnsubscribePreview",
    "ValidateJourneyV1JourneysValidatePostBody",
    "VariantStats",
    "VisitData",
    "VisitEvent",
)
