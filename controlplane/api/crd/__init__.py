"""CustomResourceDefinitions (apiextensions.k8s.io/v1) and the custom resources they serve,
after staging/src/k8s.io/apiextensions-apiserver.

A CRD is stored like any object; what it defines is read from the store into the kind
registry's custom kinds (`served`), so that the verbs, discovery, OpenAPI, Tables and the CLI
find a custom kind exactly where they find a built-in one. `definitions` reads a CRD,
`validation` checks one in kube-apiserver's words, `structural` validates, defaults and
prunes a custom resource by its schema, `strategy` holds both kinds' rules, `tables` the
additionalPrinterColumns and `openapi` the published schemas.
"""
