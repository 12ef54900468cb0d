import Foundation
import Testing
import _WorkforceTestSupport

/// Regression tests for the crashes, hangs and silent wrong answers of issue 20 (inputs in
/// Tests/WorkforceCLITests/Resources/reliability/), each with its exact message and exit code.
@Suite struct ReliabilityTests {
    static let resources = OwnershipTests.resources
    static let oneForce = "\(resources)/case-01-one-force.csv"

    /// Case 2: a table holding only the calibrated force has no other force to pool the intake
    /// with: calibrate and evaluate say so in one line and leave the shares unpooled (they
    /// crashed, exit 132).
    @Test func oneForceTablesAreNotPooled() throws {
        let out = try CLI.temporaryFolder()
        let pooled = try CLI.run(["calibrate", Self.oneForce, "--force", "Testshire", "--out", out.appendingPathComponent("p.yaml").path])
        #expect(pooled.status == 0, "\(pooled.stderr)")
        #expect(pooled.stdout.contains(
            "  - Intake ethnicity shares: partly pooled toward officers' shares × the other forces' ratio of recruits' to officers' shares "
                + "(empirical Bayes, IntakePooling), not pooled: 0 forces of 0 forces (all but Testshire), 2003→2004 with at least 10 recruits (at least 5 needed).\n"))
        let unpooled = try CLI.run(
            ["calibrate", Self.oneForce, "--force", "Testshire", "--no-pool-intake", "--out", out.appendingPathComponent("u.yaml").path])
        #expect(unpooled.status == 0, "\(unpooled.stderr)")
        func intake(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.hasPrefix("Intake:") } }
        #expect(intake(pooled.stdout).count == 1)
        #expect(intake(pooled.stdout) == intake(unpooled.stdout))  // the right answer: the force's own shares
        let evaluated = try CLI.run([
            "evaluate", Self.oneForce, "\(Self.resources)/case-01-one-force-2005.csv", "--train", "2003,2004", "--test", "2005",
            "--replications", "5", "--threads", "1", "--out", out.path,
        ])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        #expect(evaluated.stdout.hasPrefix("Evaluated 1 forces: train 2003, 2004 → test 2005, 5 replications"))
    }

    /// Case 8: the finite-number check of calibrate's fragment reads the numbers, not the comment
    /// header that holds the table's file name (`table-inf.csv` was refused, exit 70).
    @Test func aFileNameIsNotANumber() throws {
        let out = try CLI.temporaryFolder().appendingPathComponent("f.yaml")
        let outcome = try CLI.run(["calibrate", "\(Self.resources)/table-inf.csv", "--force", "Testshire", "--no-pool-intake", "--out", out.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try CLI.read(out).hasPrefix("# Scenario fragment written by `workforce calibrate` from \(Self.resources)/table-inf.csv"))
    }

    /// Case 3: a beta's shapes have a stated range (0.001 to 100,000), checked at validation: the
    /// run that spun for ever in GSL's inverse beta is refused at once, located (exit 65).
    @Test func betaShapesOutsideTheirRangeAreRefused() throws {
        let file = "\(Self.resources)/beta-huge.yaml"
        let message = "\(file):6:82: leaving.multipliers[0].factor: beta [1000000000000000.0, 1000000000000000.0]: a 1000000000000000.0 is outside "
            + "0.001 to 100000; expected beta: [a, b] or [a, b, low, high] with a and b from 0.001 to 100000 and low < high\n"
            + "1 problem in 1 file; nothing was run.\n"
        for arguments in [["validate", file], ["run", file, "--replications", "1", "--threads", "1", "--out", try CLI.temporaryFolder().path]] {
            let outcome = try CLI.run(arguments)
            #expect(outcome.status == 65)
            #expect(outcome.stderr == message)
        }
        let denormal = try CLI.run(["validate", file, "--set", "leaving.multipliers[0].factor={beta: [5.93377, 5e-324]}"])
        #expect(denormal.status == 65)
        #expect(denormal.stderr == "<--set leaving.multipliers[0].factor={beta: [5.93377, 5e-324]}>: leaving.multipliers[0].factor: beta [5.93377, 5e-324]: "
            + "b 5e-324 is outside 0.001 to 100000; expected beta: [a, b] or [a, b, low, high] with a and b from 0.001 to 100000 and low < high\n"
            + "1 problem in 1 file; nothing was run.\n")
    }
}
