import ArgumentParser
import Foundation

/// The `workforce` command: subcommands in `Subcommands/`, their behaviour in `Frontend/`.
package struct WorkforceCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "workforce",
        abstract: "Project a workforce's representation by rank, ethnicity and gender (GSL Monte Carlo).",
        discussion: """
            Exit codes: 0 success; 64 bad command line; 65 invalid scenario; 70 run failed; \
            73 results could not be written.
            """,
        version: Version.current,
        subcommands: [Run.self, Validate.self, Levers.self, Compare.self, Solve.self, Sensitivity.self, Attribute.self, Sweep.self, Merge.self,
                      Import.self, Calibrate.self, Backtest.self, Evaluate.self, Report.self, Serve.self],
        defaultSubcommand: nil
    )

    package init() {}

    /// The one place a command's failure becomes output and an exit code: a `CommandFailure`
    /// thrown anywhere below a subcommand's `run()` is printed on stderr as its message and exits
    /// with its code. Command-line errors found by the parser exit 64 with the parser's usage text.
    package static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            Terminal.error(failure.message)
            exit(withError: ExitCode(failure.kind.rawValue))
        } catch {
            exit(withError: error)
        }
    }
}

/// The version of this tool, written into every manifest.
package enum Version {
    package static let current = "0.1.0"
}

/// Why a command failed, in words, and the exit code it maps to: the only error a command
/// throws out of its `run()`. Printed and mapped once, in `WorkforceCommand.main`.
package struct CommandFailure: Error, Sendable, CustomStringConvertible {
    /// The exit codes, after BSD's sysexits.h, so scripts can tell the failures apart.
    package enum Kind: Int32, Sendable {
        /// The command line is wrong (an option's value, a missing sweep section): nothing ran.
        case usage = 64
        /// A scenario, a results folder or a data file (or an override of one) is invalid:
        /// nothing was run or written.
        case invalidInput = 65
        /// The engine (or an analysis on top of it) failed while running.
        case runFailed = 70
        /// Results could not be written; nothing of them is visible.
        case cannotWrite = 73
    }

    package var kind: Kind
    /// One or more lines, printed as they are.
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
