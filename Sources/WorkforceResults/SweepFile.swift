import WorkforceFormats
import WorkforceScenario
import Foundation
import Workforce

/// Everything a sweep's points depend on. The SHA-256 of its compact JSON is the sweep's key:
/// finished points are kept, resumed and merged only under the same key.
package struct SweepDefinition: Codable, Hashable, Sendable {
    /// The scenario's name.
    package var scenario: String
    /// SHA-256 of the scenario file's bytes.
    package var sha256: String
    /// The `--set` overrides applied to every point (before the point's own values), in order.
    package var overrides: [String]
    /// `monte-carlo` or `expected-value`.
    package var mode: RunManifest.Mode
    package var seed: UInt64
    /// Replications per point (1 in expected-value mode).
    package var replications: Int
    /// The tool's and GSL's versions: results of other builds are not mixed in.
    package var version: String
    package var gslVersion: String
    /// `grid` or `latin-hypercube`.
    package var design: String
    /// The Latin hypercube's points; nil for a grid.
    package var samples: Int?
    package var parameters: [Parameter]
    /// The number of points in the whole sweep (every shard).
    package var points: Int
    /// `sweep --probability`: each point stops once every target's verdict against this
    /// probability is settled at `errorRate` (`SequentialTest`), `replications` being the cap;
    /// nil when every point runs every replication (and then absent from the JSON, so such a
    /// sweep's key is what it was before the option existed).
    package var probability: Double?
    package var errorRate: Double?

    package init(
        scenario: String, sha256: String, overrides: [String], mode: RunManifest.Mode, seed: UInt64, replications: Int, version: String,
        gslVersion: String, design: String, samples: Int?, parameters: [Parameter], points: Int
    ) {
        (self.scenario, self.sha256, self.overrides, self.mode, self.seed, self.replications) = (scenario, sha256, overrides, mode, seed, replications)
        (self.version, self.gslVersion, self.design, self.samples, self.parameters, self.points) = (version, gslVersion, design, samples, parameters, points)
    }

    /// A parameter as given: `from`, `to` and `step` (a grid axis), `from` and `to` (a Latin
    /// hypercube range), or `values`.
    package struct Parameter: Codable, Hashable, Sendable {
        /// The field path, or the lever's name when `lever`.
        package var path: String
        package var from: Double?
        package var to: Double?
        package var step: Double?
        package var values: [Double]?
        /// True when `path` names a lever of the scenario; absent (nil) for a field path, so the
        /// key of a sweep of paths is what it was before levers.
        package var lever: Bool?

        package init(path: String, from: Double? = nil, to: Double? = nil, step: Double? = nil, values: [Double]? = nil, lever: Bool? = nil) {
            (self.path, self.from, self.to, self.step, self.values, self.lever) = (path, from, to, step, values, lever)
        }
    }

    /// The spec the definition was made from.
    package var spec: SweepSpec {
        SweepSpec(
            parameters: parameters.map { p in
                let values: SweepSpec.Values =
                    if let values = p.values { .list(values) }
                    else if let step = p.step { .steps(from: p.from ?? 0, to: p.to ?? 0, step: step) }
                    else { .range(from: p.from ?? 0, to: p.to ?? 0) }
                return SweepSpec.Parameter(path: p.path, values: values, lever: p.lever == true)
            },
            samples: samples)
    }

    /// The sweep's key: lowercase hexadecimal SHA-256 of this definition as compact JSON with
    /// sorted snake_case keys (what sweep.json's `definition` holds, without the whitespace).
    package var key: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return SHA256.hex(Array((try? encoder.encode(self)) ?? Data()))
    }
}

/// One finished point: its parameter values and each target's verdict there.
package struct SweepPoint: Codable, Hashable, Sendable {
    /// The point's number in the whole sweep, from 0.
    package var point: Int
    /// The parameters' values, in the definition's order.
    package var values: [Double]
    /// One per target, in the scenario's order.
    package var targets: [Verdict]
    /// Replications run at this point, with `sweep --probability` (nil otherwise: all of them).
    package var replications: Int?

    /// A target's verdict at a point. Quantiles of the measure (a share, 0...1) are nil when no
    /// replication defined it (an empty denominator).
    package struct Verdict: Codable, Hashable, Sendable {
        package var name: String
        /// The threshold at this point (a sweep may vary it).
        package var threshold: Double
        /// The fraction of replications meeting the target at its date.
        package var probabilityMet: Double
        package var p5: Double?
        package var p50: Double?
        package var p95: Double?
        /// With `sweep --probability`: whether P(met) was settled at least that probability,
        /// below it, or undecided when the cap came first (nil without the option).
        package var decision: SequentialTest.Decision?

        package init(name: String, threshold: Double, probabilityMet: Double, p5: Double?, p50: Double?, p95: Double?) {
            (self.name, self.threshold, self.probabilityMet, self.p5, self.p50, self.p95) = (name, threshold, probabilityMet, p5, p50, p95)
        }
    }

    package init(point: Int, values: [Double], _ summaries: [TargetSummary]) {
        self.point = point
        self.values = values
        targets = summaries.map { t in
            func v(_ x: Double) -> Double? { x.isNaN ? nil : x }
            return Verdict(
                name: t.target.name, threshold: t.target.threshold, probabilityMet: t.probability,
                p5: v(t.value.p5), p50: v(t.value.p50), p95: v(t.value.p95))
        }
    }
}

/// sweep.json (schema `workforce.sweep/1`, documented in docs/sweeps.md): the definition, the
/// targets and the points, in point order. A shard's file says which shard it holds; the whole
/// sweep's does not, so merged shards give exactly the file one machine writes.
package struct SweepFile: Codable, Sendable {
    package static let schema = "workforce.sweep/1"

    package var schema = Self.schema
    package var key: String
    package var definition: SweepDefinition
    package var targets: [TargetsFile.Definition]
    package var shard: Shard?
    package var points: [SweepPoint]

    package init(key: String, definition: SweepDefinition, targets: [TargetsFile.Definition], shard: Shard?, points: [SweepPoint]) {
        (self.key, self.definition, self.targets, self.shard, self.points) = (key, definition, targets, shard, points)
    }

    /// sweep.csv: one row per point. Columns: `point`; each parameter's path (its value); then
    /// for each target `<name>: probability_met` (4 decimals), `<name>: p5`, `<name>: p50` and
    /// `<name>: p95` (its measure's quantiles, 6 decimals; `NA` when undefined). With
    /// `--probability`, then `replications` (run at the point) and each target's `<name>: decision`.
    package var csv: String {
        let settled = definition.probability != nil
        let header = ["point"] + definition.parameters.map(\.path)
            + targets.flatMap { t in ["probability_met", "p5", "p50", "p95"].map { "\(t.name): \($0)" } }
            + (settled ? ["replications"] + targets.map { "\($0.name): decision" } : [])
        return CSVWriter.table(header, points.map { point in
            [String(point.point)] + point.values.map(SweepSpec.text)
                + point.targets.flatMap { v in
                    [CSVWriter.number(v.probabilityMet, 4)] + [v.p5, v.p50, v.p95].map { CSVWriter.number($0 ?? .nan, 6) }
                }
                + (settled ? [point.replications.map(String.init) ?? "NA"] + point.targets.map { $0.decision?.rawValue ?? "NA" } : [])
        })
    }
}

/// `--shard i/n`: shard `i` of `n` (1 ≤ i ≤ n) computes the points whose number is `i − 1`
/// modulo `n`, so that shards share the grid's cheap and expensive corners evenly.
package struct Shard: Codable, Hashable, Sendable, CustomStringConvertible {
    package var index: Int
    package var count: Int

    package init(index: Int, count: Int) { (self.index, self.count) = (index, count) }

    package var description: String { "\(index)/\(count)" }

    package func contains(point: Int) -> Bool { point % count == index - 1 }
}
