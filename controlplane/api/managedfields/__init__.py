"""Server-side apply and `metadata.managedFields`: field sets, their `fieldsV1` encoding,
the merge of an applied configuration, and field ownership with its conflicts.

After sigs.k8s.io/structured-merge-diff and k8s.io/apimachinery/pkg/util/managedfields;
`fieldmanager` is what the API verbs call.
"""
