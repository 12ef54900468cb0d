import WorkforceCLI

WorkforceCommand.main()
