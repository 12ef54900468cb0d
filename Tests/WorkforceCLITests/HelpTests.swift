import Foundation
import Testing
import _WorkforceTestSupport

/// Every command's `--help`, pinned whole (after swift-argument-parser's
/// `ArgumentParserExampleTests`): the help is the tool's first documentation, so a change to an
/// option's name, default or wording shows up here as a diff to review. The pinned texts are in
/// `Resources/help/<command>.txt`, at 80 columns; after a deliberate change, rewrite them with
/// `for c in "" run validate ...; do COLUMNS=80 workforce $c --help > ...; done` and read the diff.
@Suite struct HelpTests {
    static let commands = [
        "run", "validate", "levers", "compare", "solve", "sensitivity", "attribute", "sweep", "merge", "import", "calibrate", "backtest",
        "evaluate", "report", "serve",
    ]

    private func pinned(_ name: String) throws -> String {
        try CLI.read(CLI.root.appendingPathComponent("Tests/WorkforceCLITests/Resources/help/\(name).txt"))
    }

    @Test func theToolsHelpListsEveryCommand() throws {
        let outcome = try CLI.run(["--help"], environment: ["COLUMNS": "80"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == (try pinned("workforce")))
        for command in Self.commands { #expect(outcome.stdout.contains("\n  \(command) "), "\(command)") }
    }

    @Test(arguments: commands) func eachCommandsHelpIsPinned(command: String) throws {
        let outcome = try CLI.run([command, "--help"], environment: ["COLUMNS": "80"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout == (try pinned(command)), "workforce \(command) --help changed; review it and update Resources/help/\(command).txt")
    }
}
