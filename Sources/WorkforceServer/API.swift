import Foundation

/// The JSON the workbench's HTTP API takes and gives (docs/workbench.md). Every request body is
/// at most `Limits.requestBytes`; every error is `Problem`.
package enum API {
    /// One lever's setting in a request: the lever's name and the value, in the lever's unit.
    package struct Setting: Codable, Sendable, Hashable {
        package var lever: String
        package var value: Double
        package init(lever: String, value: Double) { (self.lever, self.value) = (lever, value) }
    }

    /// `GET /api/scenarios`.
    package struct Scenarios: Codable, Sendable {
        package struct Entry: Codable, Sendable {
            /// The file name in the folder (`met-action-plan.yaml`): what every other request names.
            package var file: String
            /// The scenario's own name (`Met: Action Plan`); nil when the file does not load.
            package var name: String?
            /// Why it does not load, when it does not (the first diagnostic).
            package var problem: String?
        }
        package var folder: String
        package var scenarios: [Entry]
    }

    /// A lever as the page shows it (`GET /api/levers?scenario=…`).
    package struct Lever: Codable, Sendable {
        package var name: String
        /// In words, for the slider's label.
        package var label: String
        /// `share` (shown as %), `multiplier` (×), `count` (officers), …
        package var unit: String
        package var min: Double, max: Double, step: Double
        /// The value in the scenario as written.
        package var current: Double
        /// Cost per unit of the lever, when the scenario gives one.
        package var costPerUnit: Double?
    }

    /// `GET /api/levers?scenario=…`: the levers, the aims (for "what would it take") and the
    /// measures that can be charted.
    package struct Levers: Codable, Sendable {
        package var scenario: String
        package var name: String
        package var levers: [Lever]
        package var aims: [String]
        package struct Measure: Codable, Sendable { package var id: String, title: String }
        package var measures: [Measure]
        /// The replications a settled run stops at, at most (the scenario's own), and its seed.
        package var replications: Int
        package var seed: UInt64
    }

    /// The body of `POST /api/expected`, `/api/run` and `/api/report`.
    package struct Question: Codable, Sendable {
        /// A file name from `GET /api/scenarios`.
        package var scenario: String
        package var settings: [Setting]?
        /// The measure to chart (an id from `Levers.measures`); the first when absent.
        package var measure: String?
        /// The page's session: a new run on the same session cancels the one in flight.
        package var session: String?
        /// `run` only: the most replications (default and upper limit: the scenario's own).
        package var replications: Int?
        package init(scenario: String, settings: [Setting]? = nil, measure: String? = nil, session: String? = nil, replications: Int? = nil) {
            (self.scenario, self.settings, self.measure, self.session, self.replications) = (scenario, settings, measure, session, replications)
        }
    }

    /// An answer: the aims table and the fan chart, as the report renders them, and how it was got.
    /// `POST /api/expected` gives one; `POST /api/run` streams one per batch (Server-Sent Events,
    /// `event: batch`, then `event: done` with the last).
    package struct Answer: Codable, Sendable {
        /// `expected` (the expected-value projection) or `monte-carlo`.
        package var mode: String
        /// Replications so far (1 in expected-value mode), and the most the run will take.
        package var replications: Int
        package var cap: Int
        package var seed: UInt64
        /// Every aim's status is settled (the sequential test at the 33% and 67% boundaries, each
        /// at error rate `Workbench.errorRate`): the run stops here.
        package var settled: Bool
        /// The run has stopped (settled, or at the cap).
        package var done: Bool
        /// The headline, key and aims table, an HTML fragment from the report's renderer.
        package var aims: String
        /// The fan chart of the chosen measure with the aims marked (SVG), when there is one.
        package var chart: String?
        package var measure: String?
        /// Each aim: its status (`on track`, `in the balance`, `off track`, or nil when no
        /// replication defines it) and its chance (the share of replications meeting it).
        package struct Aim: Codable, Sendable {
            package var name: String
            package var status: String?
            package var chance: Double?
            package var standardError: Double?
            /// The projected median at the date, a fraction.
            package var median: Double
        }
        package var aimSummaries: [Aim]
        /// Seconds spent computing (not queueing) so far.
        package var seconds: Double
    }

    /// The body of `POST /api/solve`: what value of `lever` meets `aim` with at least `probability`?
    package struct Solve: Codable, Sendable {
        package var scenario: String
        package var settings: [Setting]?
        package var lever: String
        package var aim: String
        /// Default 0.8.
        package var probability: Double?
        package var session: String?
        /// The most replications at each trial value (default: the scenario's own).
        package var replications: Int?
    }

    /// The answer of `POST /api/solve`.
    package struct SolveAnswer: Codable, Sendable {
        /// `found`, `met-throughout-range` or `not-met-within-range`.
        package var verdict: String
        /// The lever's value, for `found`.
        package var value: Double?
        /// Half the last bracket plus the Monte Carlo error, in the lever's unit.
        package var error: Double
        /// The answer in words, as the report words a solve.
        package var words: String
        package var evaluations: Int
        package var replicationsUsed: Int
        package var seconds: Double
    }

    /// The body of `POST /api/save`: the variant saved as a new scenario file in the folder.
    package struct Save: Codable, Sendable {
        package var scenario: String
        package var settings: [Setting]?
        /// The new file's name: `[A-Za-z0-9._-]`, ending `.yaml`, not already in the folder.
        package var name: String
    }

    package struct Saved: Codable, Sendable {
        package var file: String
        /// The command that runs it and gives the numbers the page showed with that many replications.
        package var command: String
    }

    /// Every error: HTTP 400 (a bad value), 404 (no such scenario or route), 409 (the name is
    /// taken), 413 (the body is too large), 429 (too many runs at once), 500/503.
    package struct Problem: Codable, Sendable {
        /// The request field that was wrong (`settings[0].value`, `name`, `scenario`), or "".
        package var field: String
        /// `field: what was wrong; what was expected`.
        package var error: String
    }
}
