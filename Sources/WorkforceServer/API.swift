import Foundation

/// The JSON the workbench's HTTP API takes and gives (docs/workbench.md). Every request body is
/// at most `Limits.requestBytes`; every error is `Problem`.
public enum API {
    /// One lever's setting in a request: the lever's name and the value, in the lever's unit.
    public struct Setting: Codable, Sendable, Hashable {
        public var lever: String
        public var value: Double
        public init(lever: String, value: Double) { (self.lever, self.value) = (lever, value) }
    }

    /// `GET /api/scenarios`.
    public struct Scenarios: Codable, Sendable {
        public struct Entry: Codable, Sendable {
            /// The file name in the folder (`met-action-plan.yaml`): what every other request names.
            public var file: String
            /// The scenario's own name (`Met: Action Plan`); nil when the file does not load.
            public var name: String?
            /// Why it does not load, when it does not (the first diagnostic).
            public var problem: String?
        }
        public var folder: String
        public var scenarios: [Entry]
    }

    /// A lever as the page shows it (`GET /api/levers?scenario=…`).
    public struct Lever: Codable, Sendable {
        public var name: String
        /// In words, for the slider's label.
        public var label: String
        /// `share` (shown as %), `multiplier` (×), `count` (officers), …
        public var unit: String
        public var min: Double, max: Double, step: Double
        /// The value in the scenario as written.
        public var current: Double
        /// Cost per unit of the lever, when the scenario gives one.
        public var costPerUnit: Double?
    }

    /// `GET /api/levers?scenario=…`: the levers, the aims (for "what would it take") and the
    /// measures that can be charted.
    public struct Levers: Codable, Sendable {
        public var scenario: String
        public var name: String
        public var levers: [Lever]
        public var aims: [String]
        public struct Measure: Codable, Sendable { public var id: String, title: String }
        public var measures: [Measure]
        /// The replications a settled run stops at, at most (the scenario's own), and its seed.
        public var replications: Int
        public var seed: UInt64
    }

    /// The body of `POST /api/expected`, `/api/run` and `/api/report`.
    public struct Question: Codable, Sendable {
        /// A file name from `GET /api/scenarios`.
        public var scenario: String
        public var settings: [Setting]?
        /// The measure to chart (an id from `Levers.measures`); the first when absent.
        public var measure: String?
        /// The page's session: a new run on the same session cancels the one in flight.
        public var session: String?
        /// `run` only: the most replications (default and upper limit: the scenario's own).
        public var replications: Int?
        public init(scenario: String, settings: [Setting]? = nil, measure: String? = nil, session: String? = nil, replications: Int? = nil) {
            (self.scenario, self.settings, self.measure, self.session, self.replications) = (scenario, settings, measure, session, replications)
        }
    }

    /// An answer: the aims table and the fan chart, as the report renders them, and how it was got.
    /// `POST /api/expected` gives one; `POST /api/run` streams one per batch (Server-Sent Events,
    /// `event: batch`, then `event: done` with the last).
    public struct Answer: Codable, Sendable {
        /// `expected` (the expected-value projection) or `monte-carlo`.
        public var mode: String
        /// Replications so far (1 in expected-value mode), and the most the run will take.
        public var replications: Int
        public var cap: Int
        public var seed: UInt64
        /// Every aim's status is settled (the sequential test at the 33% and 67% boundaries, each
        /// at error rate `Workbench.errorRate`): the run stops here.
        public var settled: Bool
        /// The run has stopped (settled, or at the cap).
        public var done: Bool
        /// The headline, key and aims table, an HTML fragment from the report's renderer.
        public var aims: String
        /// The fan chart of the chosen measure with the aims marked (SVG), when there is one.
        public var chart: String?
        public var measure: String?
        /// Each aim: its status (`on track`, `in the balance`, `off track`, or nil when no
        /// replication defines it) and its chance (the share of replications meeting it).
        public struct Aim: Codable, Sendable {
            public var name: String
            public var status: String?
            public var chance: Double?
            public var standardError: Double?
            /// The projected median at the date, a fraction.
            public var median: Double
        }
        public var aimSummaries: [Aim]
        /// Seconds spent computing (not queueing) so far.
        public var seconds: Double
    }

    /// The body of `POST /api/solve`: what value of `lever` meets `aim` with at least `probability`?
    public struct Solve: Codable, Sendable {
        public var scenario: String
        public var settings: [Setting]?
        public var lever: String
        public var aim: String
        /// Default 0.8.
        public var probability: Double?
        public var session: String?
        /// The most replications at each trial value (default: the scenario's own).
        public var replications: Int?
    }

    /// The answer of `POST /api/solve`.
    public struct SolveAnswer: Codable, Sendable {
        /// `found`, `met-throughout-range` or `not-met-within-range`.
        public var verdict: String
        /// The lever's value, for `found`.
        public var value: Double?
        /// Half the last bracket plus the Monte Carlo error, in the lever's unit.
        public var error: Double
        /// The answer in words, as the report words a solve.
        public var words: String
        public var evaluations: Int
        public var replicationsUsed: Int
        public var seconds: Double
    }

    /// The body of `POST /api/save`: the variant saved as a new scenario file in the folder.
    public struct Save: Codable, Sendable {
        public var scenario: String
        public var settings: [Setting]?
        /// The new file's name: `[A-Za-z0-9._-]`, ending `.yaml`, not already in the folder.
        public var name: String
    }

    public struct Saved: Codable, Sendable {
        public var file: String
        /// The command that runs it and gives the numbers the page showed with that many replications.
        public var command: String
    }

    /// Every error: HTTP 400 (a bad value), 404 (no such scenario or route), 409 (the name is
    /// taken), 413 (the body is too large), 429 (too many runs at once), 500/503.
    public struct Problem: Codable, Sendable {
        /// The request field that was wrong (`settings[0].value`, `name`, `scenario`), or "".
        public var field: String
        /// `field: what was wrong; what was expected`.
        public var error: String
    }
}
