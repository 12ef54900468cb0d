import ArgumentParser
import WorkforceResults
import WorkforceScenario

extension WorkforceCommand {
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario over a grid or a Latin hypercube of parameter values.",
            discussion: """
                Writes sweep.csv (one row per point: its values, each target's probability met and \
                the 5/50/95% quantiles of its measure), sweep.json and manifest.json to <out>/<scenario>-sweep/. Every \
                point runs on the same seed (common random numbers). An interrupted sweep rerun \
                with the same arguments keeps its finished points; --shard i/n computes a subset, \
                and 'workforce merge' joins the shards. See docs/sweeps.md.
                """)

        @Argument(help: "The scenario file (.yaml, .yml, .json).")
        var file: String

        @Option(
            help: ArgumentHelp(
                "A parameter and its values: path=from:to:step, path=v1,v2,... or, with --samples, path=from:to (repeatable; the path as --set writes it). Replaces the file's sweep section.",
                valueName: "path=values"))
        var vary: [String] = []

        @Option(
            help: ArgumentHelp(
                "A lever of the scenario (workforce levers) and its values: NAME=from:to:step, NAME=v1,v2,... or, with --samples, NAME=from:to (repeatable: each --lever, like each --vary, is one axis, after the --vary axes). Replaces the file's sweep section.",
                valueName: "name=values"))
        var lever: [String] = []

        @Option(help: "A Latin hypercube of N points over the ranges, instead of a grid.")
        var samples: Int?

        @Option(help: ArgumentHelp("Compute only shard i of n (1 ≤ i ≤ n): the points numbered i − 1 modulo n.", valueName: "i/n"))
        var shard: Shard?

        @Option(
            name: .customLong("set"),
            help: ArgumentHelp(
                "Override a scenario field for every point, e.g. --set leaving.rates.Constable[0]=0.1 (the value is YAML).",
                valueName: "key.path=value"))
        var overrides: [String] = []

        @OptionGroup var engine: EngineOptions

        @Option(help: "Results folder: writes <out>/<scenario>-sweep/ (with -shard-i-of-n for a shard, -expected with --expected), as every command's --out.")
        var out: String?

        @Flag(help: "Print a machine-readable summary (JSON) on stdout instead of the text one.")
        var json = false

        @Option(help: "Stop each point once every target's verdict against this probability of being met is settled (up to --replications); each point then states the replications it used (docs/sweeps.md).")
        var probability: Double?

        @Option(help: ArgumentHelp("With --probability: the most often a settled verdict may be wrong.", valueName: "rate"))
        var errorRate = 0.01

        func validate() throws {
            _ = try vary.map(SweepSpec.Parameter.init(vary:))
            _ = try lever.map(SweepSpec.Parameter.init(lever:))
            if let samples, samples < 1 { throw ValidationError("--samples must be at least 1.") }
            if let probability, !(probability > 0 && probability <= 1) { throw ValidationError("--probability must be in (0, 1].") }
            guard errorRate > 0 && errorRate < 1 else { throw ValidationError("--error-rate must be in (0, 1).") }
        }

        func run() throws {
            try Frontend.sweep(Frontend.SweepRequest(
                file: file, vary: try vary.map(SweepSpec.Parameter.init(vary:)) + lever.map(SweepSpec.Parameter.init(lever:)), samples: samples, shard: shard,
                overrides: overrides, engine: engine, out: out, json: json, probability: probability, errorRate: errorRate))
        }
    }
}
