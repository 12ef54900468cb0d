import ArgumentParser
import WorkforceScenario

/// Which scenarios, and how to change them on the way in.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "Scenario files (.yaml, .yml, .json) or folders of them.")
    var paths: [String]

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override a scenario field before validation, e.g. --set leaving.rates.Constable[0]=0.1 (the value is YAML).",
            valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(
        name: .customLong("lever"),
        help: ArgumentHelp(
            "Set a lever of the scenario (workforce levers lists them), e.g. --lever bame-recruit-share=0.45; repeat it for several levers (each named once). In solve, each --lever is one lever to search: NAME or NAME=a:b[*cost] (a lever of the scenario over a:b), or [name=]path[+path]=a:b[*cost] (docs/analysis.md).",
            valueName: "name=value"))
    var levers: [String] = []
}

/// How to run: the flags shared by every command that runs the engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "Replications (default: the scenario's simulation.replications).")
    var replications: Int?

    @Option(help: "Master seed (default: the scenario's simulation.seed).")
    var seed: UInt64?

    @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
    var threads: Int?

    @Flag(help: "Expected-value mode: every random draw replaced by its expectation (one real-valued projection).")
    var expected = false

    @Flag(help: "No progress on stderr (otherwise a bar on a terminal, or a line every 10 s in a log).")
    var quiet = false

    @Flag(help: "Run even when the run is estimated to take more than an hour (otherwise refused, with the estimate).")
    var allowLongRun = false

    func validate() throws {
        if let replications, !(1...Limits.replications).contains(replications) {
            throw ValidationError("--replications \(replications): expected 1 to \(Limits.replications).")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        if let seed, seed > Limits.seed { throw ValidationError("--seed \(seed): expected a whole number from 0 to 10^15.") }
    }
}

/// Where results go and how the summary is printed.
struct OutputOptions: ParsableArguments {
    @Option(help: "Results folder; each scenario writes <out>/<scenario file name>/.")
    var out = "Results"

    @Flag(help: "Print a machine-readable summary (JSON) on stdout instead of the text one.")
    var json = false

    @Flag(help: "Also write every replication's target measures, first-met dates and headcounts (replication_targets.csv, replication_headcounts.csv).")
    var perReplication = false
}
