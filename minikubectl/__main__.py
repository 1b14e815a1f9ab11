from minikubectl.app import main

main()
