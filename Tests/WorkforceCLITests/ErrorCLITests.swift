import Foundation
import Testing
import _WorkforceTestSupport

/// Every command fails the same way: its whole message on stderr (pinned here in full), nothing
/// on stdout, and the exit code of its kind (64 usage, 65 bad input, 70 run failed, 73 cannot
/// write). One representative case per command, through the one place that maps failures
/// (`WorkforceCommand.main`).
@Suite struct ErrorCLITests {
    let example = "Scenarios/example.yaml"
    let table = "Tests/WorkforceDataTests/Resources/ho-officers-extract-2003-2004.csv"

    /// Runs `arguments` and checks the exit code, the whole of stderr, and that stdout is empty.
    private func fails(_ arguments: [String], _ status: Int32, _ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outcome = try CLI.run(arguments)
        #expect(outcome.status == status, "\(arguments)", sourceLocation: sourceLocation)
        #expect(outcome.stderr == stderr, sourceLocation: sourceLocation)
        #expect(outcome.stdout.isEmpty, "\(outcome.stdout)", sourceLocation: sourceLocation)
    }

    @Test func scenarioCommandsFailWithTheirWholeMessageAndCode() throws {
        let folder = try CLI.temporaryFolder()
        let file = folder.appendingPathComponent("not-a-folder")
        try CLI.write("x", to: file)
        try fails(
            ["run", example, "--replications", "5", "--quiet", "--out", file.path], 73,
            "\(example): cannot write \(file.path): a file is in the way; expected a folder (move or delete the file)\n")
        try fails(
            ["validate", example, "--set", "simulation.replications=-1"], 65,
            "<--set simulation.replications=-1>: simulation.replications: -1 is below 1; expected a whole number from 1 to 10000000\n"
                + "1 problem in 1 file; nothing was run.\n")
        try fails(["compare", example, "--out", folder.path], 65, "compare needs at least two scenarios; got 1\n")
        try fails(
            ["solve", example, "--target", "nope", "--vary", "recruitment[0].ethnicity[0].shares.BAME.share", "--out", folder.path], 65,
            "\(example): no target named 'nope'; the targets are: 'BAME 21% of officers by 2024', 'BAME 28% of officers by 2030', "
                + "'Black 3% of Sergeants by 2024', 'Half of recruits women in 2022/23'\n")
        try fails(
            ["sensitivity", example, "--only", "nothing.here", "--out", folder.path], 65,
            "\(example): no inputs match nothing.here; inputs are named by their field paths, e.g. leaving.rates.Constable[0]\n")
        try fails(
            ["attribute", example, "--target", "Half of recruits women in 2022/23", "--out", folder.path], 65,
            "\(example): no officer target named 'Half of recruits women in 2022/23' (attribution splits the change in a share of officers)\n")
        try fails(
            ["sweep", example, "--out", folder.appendingPathComponent("sweep").path], 64,
            "Error: nothing to sweep: \(example) has no sweep section; expected --vary path=from:to:step (or a sweep section in the file)\n")
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try fails(
            ["merge", empty.path, "--out", folder.appendingPathComponent("merged").path], 65,
            "\(empty.path): no sweep.json there; expected a folder written by workforce sweep\n")
        try fails(
            ["report", empty.path, "--out", folder.appendingPathComponent("report").path], 65,
            "\(empty.path): no results here; expected the files of `workforce run` (projections.csv, flows.csv, targets.json, manifest.json) "
                + "or sensitivity.json, attribution.json, sweep.json, frontier.json, solve.json, compare.json\nnothing was written.\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["empty", "not-a-folder"])
    }

    @Test func dataCommandsFailWithTheirWholeMessageAndCode() throws {
        let folder = try CLI.temporaryFolder()
        let missing = folder.appendingPathComponent("missing.csv").path
        try fails(
            ["import", missing, "--force", "Kent", "--date", "2003", "--out", folder.appendingPathComponent("x.csv").path], 65,
            "\(missing): cannot read the file; expected a UTF-8 text file\n1 problem; nothing was written.\n")
        try fails(
            ["calibrate", table, "--force", "Dyfed-Powys", "--leaving-rate", "Sergeant=1.5", "--out", folder.appendingPathComponent("f.yaml").path], 64,
            "--leaving-rate Sergeant=1.5: expected an annual rate from 0 to below 1, or RANK=RATE\n")
        try fails(
            ["backtest", example, "--observed", missing, "--out", folder.appendingPathComponent("o").path], 65,
            "\(missing): cannot read the file; expected a UTF-8 text file\n1 problem; nothing was written.\n")
        try fails(
            ["evaluate", table, "Tests/WorkforceDataTests/Resources/ho-officers-extract-2005.csv", "--train", "2003,2004", "--test", "2005",
             "--force", "Atlantis", "--out", folder.appendingPathComponent("none").path], 65,
            "--force Atlantis: no such force in the tables; expected one of: Dyfed-Powys, London, City of, Metropolitan Police, West Midlands\n"
                + "1 problem; nothing was written.\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
