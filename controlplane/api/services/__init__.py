"""Services as kube-apiserver keeps them: defaults (`defaults`) and the addresses and ports
its REST storage allocates on create and update (`allocation`)."""
