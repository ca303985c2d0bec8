"""Contains all the data models used in inputs/outputs"""

from .acquisition import Acquisition
from .acquisition_report import AcquisitionReport
from .acquisition_row import AcquisitionRow
from .action_step import ActionStep
from .active_within_days import ActiveWithinDays
from .alias_call import AliasCall
from .all_of_journey_leaf import AllOfJourneyLeaf
from .all_of_segment_leaf import AllOfSegmentLeaf
from .any_of_journey_leaf import AnyOfJourneyLeaf
from .any_of_segment_leaf import AnyOfSegmentLeaf
from .any_trigger import AnyTrigger
from .attribute_definition import AttributeDefinition
from .attribute_list import AttributeList
from .audit_entry import AuditEntry
from .audit_entry_outcome import AuditEntryOutcome
from .audit_page import AuditPage
from .bonus import Bonus
from .bonus_on import BonusOn
from .branch_case import BranchCase
from .branch_step import BranchStep
from .channel_cap_in import ChannelCapIn
from .channel_cap_view import ChannelCapView
from .channel_in import ChannelIn
from .channel_view import ChannelView
from .checklist_item import ChecklistItem
from .churn_band_in import ChurnBandIn
from .churn_band_in_bands_item import ChurnBandInBandsItem
from .churn_scores import ChurnScores
from .churn_scores_risk import ChurnScoresRisk
from .close_in import CloseIn
from .code_in import CodeIn
from .complete_in import CompleteIn
from .consent_data import ConsentData
from .consent_data_status import ConsentDataStatus
from .consent_event import ConsentEvent
from .consent_event_timesource_type_0 import ConsentEventTimesourceType0
from .consent_record import ConsentRecord
from .consent_record_status import ConsentRecordStatus
from .conversion import Conversion
from .coupon_action import CouponAction
from .create_from_template_body_type_0 import CreateFromTemplateBodyType0
from .cross_sell import CrossSell
from .current_key import CurrentKey
from .current_key_scopes_item import CurrentKeyScopesItem
from .custom_data import CustomData
from .custom_event import CustomEvent
from .custom_event_timesource_type_0 import CustomEventTimesourceType0
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
from .date_trigger import DateTrigger
from .date_trigger_repeat import DateTriggerRepeat
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
from .dormant_trigger import DormantTrigger
from .earn_rules import EarnRules
from .eligibility import Eligibility
from .eligibility_who import EligibilityWho
from .enum_attribute_in import EnumAttributeIn
from .erasure_accepted import ErasureAccepted
from .event_condition import EventCondition
from .event_error import EventError
from .event_trigger import EventTrigger
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
from .events_rejected_type import EventsRejectedType
from .exit_step import ExitStep
from .expiry_rules import ExpiryRules
from .export_customer_response_200 import ExportCustomerResponse200
from .field_error import FieldError
from .forecast_month import ForecastMonth
from .fraud import Fraud
from .frequency_cap import FrequencyCap
from .frequency_cap_when_capped import FrequencyCapWhenCapped
from .funnel import Funnel
from .goal import Goal
from .group_call import GroupCall
from .group_call_traits_type_0 import GroupCallTraitsType0
from .group_outcome import GroupOutcome
from .held_back_count import HeldBackCount
from .held_back_count_outcome import HeldBackCountOutcome
from .held_back_message import HeldBackMessage
from .hold import Hold
from .holdout_stats import HoldoutStats
from .identifiers import Identifiers
from .identify_call import IdentifyCall
from .identify_call_traits_type_0 import IdentifyCallTraitsType0
from .identify_data import IdentifyData
from .identify_data_traits import IdentifyDataTraits
from .identify_event import IdentifyEvent
from .identify_event_timesource_type_0 import IdentifyEventTimesourceType0
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
from .journey_in import JourneyIn
from .journey_in_steps import JourneyInSteps
from .journey_leaf import JourneyLeaf
from .journey_leaf_op import JourneyLeafOp
from .journey_lift import JourneyLift
from .journey_page import JourneyPage
from .journey_settings import JourneySettings
from .journey_settings_reentry import JourneySettingsReentry
from .journey_settings_when_capped import JourneySettingsWhenCapped
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
from .lead_rule import LeadRule
from .lead_rules import LeadRules
from .lead_rules_in import LeadRulesIn
from .lead_rules_rules_item import LeadRulesRulesItem
from .lead_score import LeadScore
from .ledger_total import LedgerTotal
from .ledger_total_kind import LedgerTotalKind
from .limits import Limits
from .line_item import LineItem
from .list_deals_status import ListDealsStatus
from .list_journeys_status import ListJourneysStatus
from .list_quotes_status import ListQuotesStatus
from .list_tasks_status import ListTasksStatus
from .loss_in import LossIn
from .loyalty_program import LoyaltyProgram
from .loyalty_program_document import LoyaltyProgramDocument
from .loyalty_program_in import LoyaltyProgramIn
from .loyalty_tier import LoyaltyTier
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
from .multiplier import Multiplier
from .not_of_journey_leaf import NotOfJourneyLeaf
from .not_of_segment_leaf import NotOfSegmentLeaf
from .nps_counts import NpsCounts
from .nps_group import NpsGroup
from .nps_month import NpsMonth
from .nps_report import NpsReport
from .other_currency import OtherCurrency
from .overview import Overview
from .overview_kpis import OverviewKpis
from .owner import Owner
from .owner_in import OwnerIn
from .page_call import PageCall
from .page_call_properties_type_0 import PageCallPropertiesType0
from .period import Period
from .pipeline import Pipeline
from .pipeline_document import PipelineDocument
from .pipeline_in import PipelineIn
from .pipeline_list import PipelineList
from .pipeline_value import PipelineValue
from .plain_attribute_in import PlainAttributeIn
from .plain_attribute_in_type import PlainAttributeInType
from .points_action import PointsAction
from .points_lot import PointsLot
from .points_short import PointsShort
from .points_short_type import PointsShortType
from .problem import Problem
from .problem_type import ProblemType
from .program import Program
from .program_document import ProgramDocument
from .program_page import ProgramPage
from .program_stats import ProgramStats
from .purchase_data import PurchaseData
from .purchase_event import PurchaseEvent
from .purchase_event_timesource_type_0 import PurchaseEventTimesourceType0
from .purchases_at_least import PurchasesAtLeast
from .quiet_hours import QuietHours
from .quota_usage import QuotaUsage
from .quotas import Quotas
from .quote import Quote
from .quote_in import QuoteIn
from .quote_line import QuoteLine
from .quote_line_in import QuoteLineIn
from .quote_page import QuotePage
from .quote_status import QuoteStatus
from .quote_summary import QuoteSummary
from .quote_summary_status import QuoteSummaryStatus
from .reconsent_in import ReconsentIn
from .reconsented import Reconsented
from .reconsented_identifier import ReconsentedIdentifier
from .redemption import Redemption
from .redemption_in import RedemptionIn
from .redemption_rules import RedemptionRules
from .redemption_status import RedemptionStatus
from .referral_code import ReferralCode
from .referral_code_issued import ReferralCodeIssued
from .referral_data import ReferralData
from .referral_data_action import ReferralDataAction
from .referral_event import ReferralEvent
from .referral_event_timesource_type_0 import ReferralEventTimesourceType0
from .referral_invite_action import ReferralInviteAction
from .referral_invite_action_channel import ReferralInviteActionChannel
from .referral_ledger import ReferralLedger
from .referral_link import ReferralLink
from .referral_link_role import ReferralLinkRole
from .referral_program_in import ReferralProgramIn
from .referral_reward import ReferralReward
from .referral_reward_role import ReferralRewardRole
from .refund_data import RefundData
from .refund_event import RefundEvent
from .refund_event_timesource_type_0 import RefundEventTimesourceType0
from .refund_rules import RefundRules
from .refund_rules_shortfall import RefundRulesShortfall
from .report_settings import ReportSettings
from .retention_cohort_row import RetentionCohortRow
from .retention_report_out import RetentionReportOut
from .retention_report_out_granularity import RetentionReportOutGranularity
from .retention_report_period import RetentionReportPeriod
from .revenue_at_least import RevenueAtLeast
from .review import Review
from .review_in import ReviewIn
from .review_item import ReviewItem
from .review_item_role import ReviewItemRole
from .review_page import ReviewPage
from .reward import Reward
from .reward_kind import RewardKind
from .reward_trigger import RewardTrigger
from .rfm_scores import RfmScores
from .rfm_segment_in import RfmSegmentIn
from .rfm_segment_in_segments_item import RfmSegmentInSegmentsItem
from .rule_points import RulePoints
from .sales_analytics import SalesAnalytics
from .sales_forecast import SalesForecast
from .sales_settings import SalesSettings
from .sales_settings_high_value_segments_item import SalesSettingsHighValueSegmentsItem
from .sales_settings_in import SalesSettingsIn
from .sales_settings_in_high_value_segments_item import SalesSettingsInHighValueSegmentsItem
from .sales_task_action import SalesTaskAction
from .sales_task_action_assignee_rule import SalesTaskActionAssigneeRule
from .score_changed_trigger import ScoreChangedTrigger
from .score_changed_trigger_from_type_0 import ScoreChangedTriggerFromType0
from .score_changed_trigger_from_type_1 import ScoreChangedTriggerFromType1
from .score_changed_trigger_score import ScoreChangedTriggerScore
from .score_changed_trigger_to_type_0 import ScoreChangedTriggerToType0
from .score_changed_trigger_to_type_1 import ScoreChangedTriggerToType1
from .score_crossed_trigger import ScoreCrossedTrigger
from .score_crossed_trigger_op import ScoreCrossedTriggerOp
from .score_crossed_trigger_score import ScoreCrossedTriggerScore
from .screen_call import ScreenCall
from .screen_call_properties_type_0 import ScreenCallPropertiesType0
from .search_customers_churn_risk import SearchCustomersChurnRisk
from .search_customers_rfm_segment import SearchCustomersRfmSegment
from .search_customers_sort import SearchCustomersSort
from .segment import Segment
from .segment_condition_object import SegmentConditionObject
from .segment_failure import SegmentFailure
from .segment_field import SegmentField
from .segment_in import SegmentIn
from .segment_leaf import SegmentLeaf
from .segment_leaf_op import SegmentLeafOp
from .segment_member import SegmentMember
from .segment_member_page import SegmentMemberPage
from .segment_page import SegmentPage
from .segment_report_out import SegmentReportOut
from .segment_report_out_churn_mix import SegmentReportOutChurnMix
from .segment_size import SegmentSize
from .segment_status import SegmentStatus
from .segment_trigger import SegmentTrigger
from .segment_trigger_type import SegmentTriggerType
from .set_attribute_action import SetAttributeAction
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
from .split_step import SplitStep
from .stage import Stage
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
from .survey_action import SurveyAction
from .survey_action_channel import SurveyActionChannel
from .survey_action_question import SurveyActionQuestion
from .survey_answer_accepted import SurveyAnswerAccepted
from .survey_answer_in import SurveyAnswerIn
from .survey_data import SurveyData
from .survey_event import SurveyEvent
from .survey_event_timesource_type_0 import SurveyEventTimesourceType0
from .tag_action import TagAction
from .tag_action_op import TagActionOp
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
from .ticket_event_timesource_type_0 import TicketEventTimesourceType0
from .tier import Tier
from .tier_reward import TierReward
from .tier_reward_kind import TierRewardKind
from .tier_rules import TierRules
from .tier_rules_basis import TierRulesBasis
from .tier_status import TierStatus
from .timeline_item import TimelineItem
from .timeline_item_data import TimelineItemData
from .timeline_page import TimelinePage
from .track_call import TrackCall
from .track_call_properties_type_0 import TrackCallPropertiesType0
from .tracking_accepted import TrackingAccepted
from .tracking_batch import TrackingBatch
from .tracking_context import TrackingContext
from .tracking_context_campaign_type_0 import TrackingContextCampaignType0
from .tracking_context_library_type_0 import TrackingContextLibraryType0
from .tracking_context_page_type_0 import TrackingContextPageType0
from .tracking_context_traits_type_0 import TrackingContextTraitsType0
from .tracking_rejected import TrackingRejected
from .tracking_rejected_type import TrackingRejectedType
from .trait_equals import TraitEquals
from .trait_present import TraitPresent
from .unsubscribe_preview import UnsubscribePreview
from .unsubscribed import Unsubscribed
from .variant import Variant
from .variant_stats import VariantStats
from .visit_data import VisitData
from .visit_event import VisitEvent
from .visit_event_timesource_type_0 import VisitEventTimesourceType0
from .visits_at_least import VisitsAtLeast
from .wait_step import WaitStep
from .webhook_action import WebhookAction
from .webhook_action_channel import WebhookActionChannel
from .webhook_action_data import WebhookActionData

__all__ = (
    "Acquisition",
    "AcquisitionReport",
    "AcquisitionRow",
    "ActionStep",
    "ActiveWithinDays",
    "AliasCall",
    "AllOfJourneyLeaf",
    "AllOfSegmentLeaf",
    "AnyOfJourneyLeaf",
    "AnyOfSegmentLeaf",
    "AnyTrigger",
    "AttributeDefinition",
    "AttributeList",
    "AuditEntry",
    "AuditEntryOutcome",
    "AuditPage",
    "Bonus",
    "BonusOn",
    "BranchCase",
    "BranchStep",
    "ChannelCapIn",
    "ChannelCapView",
    "ChannelIn",
    "ChannelView",
    "ChecklistItem",
    "ChurnBandIn",
    "ChurnBandInBandsItem",
    "ChurnScores",
    "ChurnScoresRisk",
    "CloseIn",
    "CodeIn",
    "CompleteIn",
    "ConsentData",
    "ConsentDataStatus",
    "ConsentEvent",
    "ConsentEventTimesourceType0",
    "ConsentRecord",
    "ConsentRecordStatus",
    "Conversion",
    "CouponAction",
    "CreateFromTemplateBodyType0",
    "CrossSell",
    "CurrentKey",
    "CurrentKeyScopesItem",
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
    "CustomEventTimesourceType0",
    "DateTrigger",
    "DateTriggerRepeat",
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
    "DormantTrigger",
    "EarnRules",
    "Eligibility",
    "EligibilityWho",
    "EnumAttributeIn",
    "ErasureAccepted",
    "EventCondition",
    "EventError",
    "EventsAccepted",
    "EventsRejected",
    "EventsRejectedType",
    "EventTrigger",
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
    "ExitStep",
    "ExpiryRules",
    "ExportCustomerResponse200",
    "FieldError",
    "ForecastMonth",
    "Fraud",
    "FrequencyCap",
    "FrequencyCapWhenCapped",
    "Funnel",
    "Goal",
    "GroupCall",
    "GroupCallTraitsType0",
    "GroupOutcome",
    "HeldBackCount",
    "HeldBackCountOutcome",
    "HeldBackMessage",
    "Hold",
    "HoldoutStats",
    "Identifiers",
    "IdentifyCall",
    "IdentifyCallTraitsType0",
    "IdentifyData",
    "IdentifyDataTraits",
    "IdentifyEvent",
    "IdentifyEventTimesourceType0",
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
    "JourneyIn",
    "JourneyInSteps",
    "JourneyLeaf",
    "JourneyLeafOp",
    "JourneyLift",
    "JourneyPage",
    "JourneySettings",
    "JourneySettingsReentry",
    "JourneySettingsWhenCapped",
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
    "LeadRule",
    "LeadRules",
    "LeadRulesIn",
    "LeadRulesRulesItem",
    "LeadScore",
    "LedgerTotal",
    "LedgerTotalKind",
    "Limits",
    "LineItem",
    "ListDealsStatus",
    "ListJourneysStatus",
    "ListQuotesStatus",
    "ListTasksStatus",
    "LossIn",
    "LoyaltyProgram",
    "LoyaltyProgramDocument",
    "LoyaltyProgramIn",
    "LoyaltyTier",
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
    "Multiplier",
    "NotOfJourneyLeaf",
    "NotOfSegmentLeaf",
    "NpsCounts",
    "NpsGroup",
    "NpsMonth",
    "NpsReport",
    "OtherCurrency",
    "Overview",
    "OverviewKpis",
    "Owner",
    "OwnerIn",
    "PageCall",
    "PageCallPropertiesType0",
    "Period",
    "Pipeline",
    "PipelineDocument",
    "PipelineIn",
    "PipelineList",
    "PipelineValue",
    "PlainAttributeIn",
    "PlainAttributeInType",
    "PointsAction",
    "PointsLot",
    "PointsShort",
    "PointsShortType",
    "Problem",
    "ProblemType",
    "Program",
    "ProgramDocument",
    "ProgramPage",
    "ProgramStats",
    "PurchaseData",
    "PurchaseEvent",
    "PurchaseEventTimesourceType0",
    "PurchasesAtLeast",
    "QuietHours",
    "Quotas",
    "QuotaUsage",
    "Quote",
    "QuoteIn",
    "QuoteLine",
    "QuoteLineIn",
    "QuotePage",
    "QuoteStatus",
    "QuoteSummary",
    "QuoteSummaryStatus",
    "Reconsented",
    "ReconsentedIdentifier",
    "ReconsentIn",
    "Redemption",
    "RedemptionIn",
    "RedemptionRules",
    "RedemptionStatus",
    "ReferralCode",
    "ReferralCodeIssued",
    "ReferralData",
    "ReferralDataAction",
    "ReferralEvent",
    "ReferralEventTimesourceType0",
    "ReferralInviteAction",
    "ReferralInviteActionChannel",
    "ReferralLedger",
    "ReferralLink",
    "ReferralLinkRole",
    "ReferralProgramIn",
    "ReferralReward",
    "ReferralRewardRole",
    "RefundData",
    "RefundEvent",
    "RefundEventTimesourceType0",
    "RefundRules",
    "RefundRulesShortfall",
    "ReportSettings",
    "RetentionCohortRow",
    "RetentionReportOut",
    "RetentionReportOutGranularity",
    "RetentionReportPeriod",
    "RevenueAtLeast",
    "Review",
    "ReviewIn",
    "ReviewItem",
    "ReviewItemRole",
    "ReviewPage",
    "Reward",
    "RewardKind",
    "RewardTrigger",
    "RfmScores",
    "RfmSegmentIn",
    "RfmSegmentInSegmentsItem",
    "RulePoints",
    "SalesAnalytics",
    "SalesForecast",
    "SalesSettings",
    "SalesSettingsHighValueSegmentsItem",
    "SalesSettingsIn",
    "SalesSettingsInHighValueSegmentsItem",
    "SalesTaskAction",
    "SalesTaskActionAssigneeRule",
    "ScoreChangedTrigger",
    "ScoreChangedTriggerFromType0",
    "ScoreChangedTriggerFromType1",
    "ScoreChangedTriggerScore",
    "ScoreChangedTriggerToType0",
    "ScoreChangedTriggerToType1",
    "ScoreCrossedTrigger",
    "ScoreCrossedTriggerOp",
    "ScoreCrossedTriggerScore",
    "ScreenCall",
    "ScreenCallPropertiesType0",
    "SearchCustomersChurnRisk",
    "SearchCustomersRfmSegment",
    "SearchCustomersSort",
    "Segment",
    "SegmentConditionObject",
    "SegmentFailure",
    "SegmentField",
    "SegmentIn",
    "SegmentLeaf",
    "SegmentLeafOp",
    "SegmentMember",
    "SegmentMemberPage",
    "SegmentPage",
    "SegmentReportOut",
    "SegmentReportOutChurnMix",
    "SegmentSize",
    "SegmentStatus",
    "SegmentTrigger",
    "SegmentTriggerType",
    "SetAttributeAction",
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
    "SplitStep",
    "Stage",
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
    "SurveyAction",
    "SurveyActionChannel",
    "SurveyActionQuestion",
    "SurveyAnswerAccepted",
    "SurveyAnswerIn",
    "SurveyData",
    "SurveyEvent",
    "SurveyEventTimesourceType0",
    "TagAction",
    "TagActionOp",
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
    "TicketEventTimesourceType0",
    "Tier",
    "TierReward",
    "TierRewardKind",
    "TierRules",
    "TierRulesBasis",
    "TierStatus",
    "TimelineItem",
    "TimelineItemData",
    "TimelinePage",
    "TrackCall",
    "TrackCallPropertiesType0",
    "TrackingAccepted",
    "TrackingBatch",
    "TrackingContext",
    "TrackingContextCampaignType0",
    "TrackingContextLibraryType0",
    "TrackingContextPageType0",
    "TrackingContextTraitsType0",
    "TrackingRejected",
    "TrackingRejectedType",
    "TraitEquals",
    "TraitPresent",
    "Unsubscribed",
    "UnsubscribePreview",
    "Variant",
    "VariantStats",
    "VisitData",
    "VisitEvent",
    "VisitEventTimesourceType0",
    "VisitsAtLeast",
    "WaitStep",
    "WebhookAction",
    "WebhookActionChannel",
    "WebhookActionData",
)
