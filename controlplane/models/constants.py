"""Exact Kubernetes strings: kinds, phases, condition types, reasons, label and annotation keys."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

Obj = dict[str, Any]
"""A Kubernetes object as JSON: the one data type every layer passes around."""


class Kind(StrEnum):
    NAMESPACE = "Namespace"
    NODE = "Node"
    POD = "Pod"
    REPLICA_SET = "ReplicaSet"
    DEPLOYMENT = "Deployment"
    STATEFUL_SET = "StatefulSet"
    DAEMON_SET = "DaemonSet"
    CONTROLLER_REVISION = "ControllerRevision"
    EVENT = "Event"
    CONFIG_MAP = "ConfigMap"
    SECRET = "Secret"
    JOB = "Job"
    CRON_JOB = "CronJob"
    SERVICE = "Service"
    ENDPOINTS = "Endpoints"
    ENDPOINT_SLICE = "EndpointSlice"
    PERSISTENT_VOLUME_CLAIM = "PersistentVolumeClaim"
    PERSISTENT_VOLUME = "PersistentVolume"
    STORAGE_CLASS = "StorageClass"
    CUSTOM_RESOURCE_DEFINITION = "CustomResourceDefinition"
    LEASE = "Lease"


class PodPhase(StrEnum):
    PENDING = "Pending"
    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    UNKNOWN = "Unknown"


class ConditionStatus(StrEnum):
    TRUE = "True"
    FALSE = "False"
    UNKNOWN = "Unknown"


class PodConditionType(StrEnum):
    READY_TO_START_CONTAINERS = "PodReadyToStartContainers"
    INITIALIZED = "Initialized"
    READY = "Ready"
    CONTAINERS_READY = "ContainersReady"
    SCHEDULED = "PodScheduled"


class DeploymentConditionType(StrEnum):
    AVAILABLE = "Available"
    PROGRESSING = "Progressing"
    REPLICA_FAILURE = "ReplicaFailure"


class DeploymentReason(StrEnum):
    MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
    MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"
    NEW_RS_CREATED = "NewReplicaSetCreated"
    FOUND_NEW_RS = "FoundNewReplicaSet"
    RS_UPDATED = "ReplicaSetUpdated"
    NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
    TIMED_OUT = "ProgressDeadlineExceeded"
    PAUSED = "DeploymentPaused"
    RESUMED = "DeploymentResumed"


class StrategyType(StrEnum):
    """Deployment strategies, and the update strategies of StatefulSets and DaemonSets."""

    ROLLING_UPDATE = "RollingUpdate"
    RECREATE = "Recreate"
    ON_DELETE = "OnDelete"


class PodManagementPolicy(StrEnum):
    ORDERED_READY = "OrderedReady"
    PARALLEL = "Parallel"


class Propagation(StrEnum):
    BACKGROUND = "Background"
    FOREGROUND = "Foreground"
    ORPHAN = "Orphan"


class EventType(StrEnum):
    NORMAL = "Normal"
    WARNING = "Warning"


class ChangeType(StrEnum):
    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"


# Jobs (staging/src/k8s.io/api/batch/v1/types.go): the labels selector generation puts on a
# Job's pod template (the unprefixed ones are kept for older clients), the finalizer by which
# the Job controller counts each finished pod exactly once, and the annotation a Job created by
# a CronJob carries.
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid"
LEGACY_JOB_NAME_LABEL = "job-name"
LEGACY_CONTROLLER_UID_LABEL = "controller-uid"
JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"


class JobConditionType(StrEnum):
    COMPLETE = "Complete"
    FAILED = "Failed"
    SUSPENDED = "Suspended"
    FAILURE_TARGET = "FailureTarget"
    SUCCESS_CRITERIA_MET = "SuccessCriteriaMet"


# Finalizers the API server adds for foreground and orphan deletion.
FINALIZER_FOREGROUND = "foregroundDeletion"
FINALIZER_ORPHAN = "orphan"
# staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/types.go: a CRD keeps
# it until every object of its kind is deleted (the finalizer controller).
FINALIZER_CUSTOM_RESOURCE_CLEANUP = "customresourcecleanup.apiextensions.k8s.io"

# Labels and annotations written by controllers (staging/src/k8s.io/api/apps/v1/types.go,
# pkg/controller/deployment/util/deployment_util.go).
POD_TEMPLATE_HASH_LABEL = "pod-template-hash"
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt"
ROLLBACK_TO_ANNOTATION = "deprecated.deployment.rollback.to"
POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost"
# StatefulSets and DaemonSets (staging/src/k8s.io/api/apps/v1/types.go and
# pkg/controller/history/controller_history.go): which ControllerRevision a pod was made from,
# the hash label of a StatefulSet's ControllerRevisions, a StatefulSet pod's identity, and the
# DaemonSet template generation the API server keeps.
CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash"
REVISION_HASH_LABEL = "controller.kubernetes.io/hash"
STATEFULSET_POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
TEMPLATE_GENERATION_LABEL = "pod-template-generation"
# staging/src/k8s.io/api/discovery/v1/well_known_labels.go
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
ENDPOINTSLICE_CONTROLLER = "endpointslice-controller.k8s.io"
TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation"

# Deployment annotations never copied to its ReplicaSets (deployment_util.go skipCopyAnnotation);
# `rollout undo` keeps the Deployment's own values of these keys.
ANNOTATIONS_NOT_COPIED_TO_RS = frozenset(
    {
        LAST_APPLIED_ANNOTATION,
        REVISION_ANNOTATION,
        REVISION_HISTORY_ANNOTATION,
        DESIRED_REPLICAS_ANNOTATION,
        MAX_REPLICAS_ANNOTATION,
        ROLLBACK_TO_ANNOTATION,
    }
)

# Event sources.
DEPLOYMENT_CONTROLLER = "deployment-controller"
REPLICASET_CONTROLLER = "replicaset-controller"
STATEFULSET_CONTROLLER = "statefulset-controller"
DAEMONSET_CONTROLLER = "daemonset-controller"
JOB_CONTROLLER = "job-controller"
CRONJOB_CONTROLLER = "cronjob-controller"
PERSISTENTVOLUME_CONTROLLER = "persistentvolume-controller"
SCHEDULER = "default-scheduler"
KUBELET = "kubelet"

DEFAULT_NAMESPACE = "default"
