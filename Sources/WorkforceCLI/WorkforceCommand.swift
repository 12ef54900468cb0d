import ArgumentParser

/// The `workforce` command: subcommands in `Subcommands/`, their behaviour in `Frontend/`.
public struct WorkforceCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "workforce",
        abstract: "Project a workforce's representation by rank, ethnicity and gender (GSL Monte Carlo).",
        discussion: """
            Exit codes: 0 success; 64 bad command line; 65 invalid scenario; 70 run failed; \
            73 results could not be written.
            """,
        version: Version.current,
        subcommands: [Run.self, Validate.self, Compare.self, Solve.self, Sensitivity.self, Attribute.self, Sweep.self, Merge.self,
                      Import.self, Calibrate.self, Backtest.self, Evaluate.self, Report.self],
        defaultSubcommand: nil
    )

    public init() {}
}

/// The version of this tool, written into every manifest.
public enum Version {
    public static let current = "0.1.0"
}

/// Exit codes, after BSD's sysexits.h, so scripts can tell the failures apart.
enum ExitCodes {
    /// A scenario (or an override of one) is invalid: nothing was run or written.
    static let invalidInput = ExitCode(65)
    /// The engine failed while running.
    static let runtimeFailure = ExitCode(70)
    /// Results could not be written.
    static let cannotWrite = ExitCode(73)
}
