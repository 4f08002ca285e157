from tracecode.cli import main

main()
