import Workforce

/// manifest.json: what a run was (scenario, mode, seed, replications, versions, timing) and the
/// initial headcount it started from. Schema `workforce.manifest/1`.
package struct RunManifest: Codable, Sendable, Equatable {
    /// How the run treated chance.
    package enum Mode: String, Codable, Sendable {
        /// Many replications, each drawing its own random numbers.
        case monteCarlo = "monte-carlo"
        /// One deterministic run of the expected values.
        case expectedValue = "expected-value"

        /// The mode in words, for the page: "Monte Carlo simulation", "expected-value projection".
        package var words: String { self == .monteCarlo ? "Monte Carlo simulation" : "expected-value projection" }

        /// The mode of a run with or without `--expected`.
        package init(expected: Bool) { self = expected ? .expectedValue : .monteCarlo }

        /// Whether a target is met in an expected-value projection, from its "chance" (there the
        /// indicator of the one projection, 0 or 1): the page and the terminal say met / not met by
        /// this one rule.
        package static func metInExpectedValue(chance: Double) -> Bool { chance >= 0.5 }
    }

    package var schema = "workforce.manifest/1"
    /// The scenario's name (its identifier).
    package var scenario: String
    /// The scenario's title in words (`Model.title`); nil, and not written, when it has none.
    package var title: String?
    /// The scenario file as given on the command line.
    package var file: String
    /// SHA-256 of the scenario file's bytes, hex.
    package var sha256: String
    package var mode: Mode
    package var seed: UInt64
    /// 1 in expected-value mode.
    package var replications: Int
    package var threads: Int
    /// The version of workforce and of GSL that ran it.
    package var version: String
    package var gslVersion: String
    /// ISO 8601, when the run started.
    package var started: String
    /// Seconds, to the millisecond, of the replications (not the writing).
    package var wallTimeSeconds: Double
    /// The initial headcount used (cell detail in initial.csv).
    package var initial: Initial
    /// The scenario's rank aggregates (projected like ranks); nil, and not written, when none.
    package var rankAggregates: [RankGroup]?
    /// What the run assumes about the force's size (`HeadcountAssumption`; its `sentence` is the
    /// one line the summary and the report show). Nil only in manifests written before it existed.
    package var headcount: HeadcountAssumption?

    /// A named set of ranks, lowest first.
    package struct RankGroup: Codable, Sendable, Equatable {
        package var name: String
        package var ranks: [String]

        package init(name: String, ranks: [String]) {
            self.name = name
            self.ranks = ranks
        }
    }

    /// Officers at the start: the total and the count of every rank × ethnicity × gender, in
    /// rank, ethnicity, gender order (every category appears, zeros included).
    package struct Initial: Codable, Sendable, Equatable {
        package var total: Int
        package var byRankAndGroup: [Count]

        package init(total: Int, byRankAndGroup: [Count]) {
            self.total = total
            self.byRankAndGroup = byRankAndGroup
        }

        /// The counts of `model`'s initial workforce.
        package init(_ model: Model) {
            let d = model.dimensions
            var counts: [Count] = []
            for r in d.ranks.indices {
                for e in d.ethnicities.indices {
                    for g in d.genders.indices {
                        let q = d.group(e, g)
                        let n = (0..<d.maxService).reduce(0) { $0 + model.initial[d.cell(r, q, $1)] }
                        counts.append(Count(rank: d.ranks[r], ethnicity: d.ethnicities[e], gender: d.genders[g], headcount: n))
                    }
                }
            }
            self.init(total: model.initial.reduce(0, +), byRankAndGroup: counts)
        }
    }
    package struct Count: Codable, Sendable, Equatable {
        package var rank, ethnicity, gender: String
        package var headcount: Int

        package init(rank: String, ethnicity: String, gender: String, headcount: Int) {
            (self.rank, self.ethnicity, self.gender, self.headcount) = (rank, ethnicity, gender, headcount)
        }
    }

    package init(
        scenario: String, file: String, sha256: String, mode: Mode, seed: UInt64, replications: Int, threads: Int,
        version: String, gslVersion: String, started: String, wallTimeSeconds: Double, initial: Initial,
        rankAggregates: [RankGroup]? = nil, headcount: HeadcountAssumption? = nil
    ) {
        self.rankAggregates = rankAggregates
        self.headcount = headcount
        self.scenario = scenario
        self.file = file
        self.sha256 = sha256
        self.mode = mode
        self.seed = seed
        self.replications = replications
        self.threads = threads
        self.version = version
        self.gslVersion = gslVersion
        self.started = started
        self.wallTimeSeconds = wallTimeSeconds
        self.initial = initial
    }

    /// What pages call the scenario: its title, else its name.
    package var shownName: String { title ?? scenario }

    /// The ranks, ethnicities and genders of the run, in the model's order (from the initial
    /// counts, which list every one).
    package var categories: (ranks: [String], ethnicities: [String], genders: [String]) {
        var ranks: [String] = [], ethnicities: [String] = [], genders: [String] = []
        for count in initial.byRankAndGroup {
            if !ranks.contains(count.rank) { ranks.append(count.rank) }
            if !ethnicities.contains(count.ethnicity) { ethnicities.append(count.ethnicity) }
            if !genders.contains(count.gender) { genders.append(count.gender) }
        }
        return (ranks, ethnicities, genders)
    }
}
