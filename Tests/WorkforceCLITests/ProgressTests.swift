import Foundation
import Testing
import _WorkforceTestSupport

/// Long work talks (issue 12): with stderr not a terminal, a line every interval (10 s; 1 s here
/// through the debug-only `WORKFORCE_TEST_PROGRESS_SECONDS`), and `--quiet` silences it.
struct ProgressTests {
    let arguments = ["run", "Scenarios/example.yaml", "--replications", "60", "--threads", "1"]
    let fast = ["WORKFORCE_TEST_PROGRESS_SECONDS": "1"]

    @Test func aLineEveryIntervalInALog() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(arguments + ["--out", out.path], environment: fast)
        #expect(outcome.status == 0)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(!lines.isEmpty, "the run took under a second: no progress line to check")
        for line in lines {
            #expect(line.wholeMatch(of: /progress: example: \d+\/60 replications \(\d+%\), \d+ s elapsed, (ETA \d+ s|ETA unknown|summarising…)/) != nil,
                    "\(line)")
        }
    }

    @Test func quietSilencesIt() throws {
        let out = try CLI.temporaryFolder()
        let outcome = try CLI.run(arguments + ["--quiet", "--out", out.path], environment: fast)
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
    }
}
