import WorkforceCLI

await WorkforceCommand.main()
