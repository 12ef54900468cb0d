import Foundation
import Workforce
import WorkforceResults
import WorkforceScenario

/// Everything a sweep's points depend on. The SHA-256 of its compact JSON is the sweep's key:
/// finished points are kept, resumed and merged only under the same key.
struct SweepDefinition: Codable, Hashable {
    /// The scenario's name.
    var scenario: String
    /// SHA-256 of the scenario file's bytes.
    var sha256: String
    /// The `--set` overrides applied to every point (before the point's own values), in order.
    var overrides: [String]
    /// `monte-carlo` or `expected-value`.
    var mode: String
    var seed: UInt64
    /// Replications per point (1 in expected-value mode).
    var replications: Int
    /// The tool's and GSL's versions: results of other builds are not mixed in.
    var version: String
    var gslVersion: String
    /// `grid` or `latin-hypercube`.
    var design: String
    /// The Latin hypercube's points; nil for a grid.
    var samples: Int?
    var parameters: [Parameter]
    /// The number of points in the whole sweep (every shard).
    var points: Int

    /// A parameter as given: `from`, `to` and `step` (a grid axis), `from` and `to` (a Latin
    /// hypercube range), or `values`.
    struct Parameter: Codable, Hashable {
        var path: String
        var from: Double?
        var to: Double?
        var step: Double?
        var values: [Double]?
    }

    init(_ scenario: LoadedScenario, _ sweep: SweepDesign, overrides: [String], options: Engine.Options) {
        self.scenario = scenario.model.name
        sha256 = scenario.sha256
        self.overrides = overrides
        mode = options.expected ? "expected-value" : "monte-carlo"
        seed = options.seed
        replications = options.expected ? 1 : options.replications
        version = Version.current
        gslVersion = Engine.gslVersion
        design = sweep.spec.samples == nil ? "grid" : "latin-hypercube"
        samples = sweep.spec.samples
        parameters = sweep.spec.parameters.map { parameter in
            switch parameter.values {
            case .steps(let from, let to, let step): Parameter(path: parameter.path, from: from, to: to, step: step)
            case .range(let from, let to): Parameter(path: parameter.path, from: from, to: to)
            case .list(let values): Parameter(path: parameter.path, values: values)
            }
        }
        points = sweep.points.count
    }

    /// The spec the definition was made from.
    var spec: SweepSpec {
        SweepSpec(
            parameters: parameters.map { p in
                let values: SweepSpec.Values =
                    if let values = p.values { .list(values) }
                    else if let step = p.step { .steps(from: p.from ?? 0, to: p.to ?? 0, step: step) }
                    else { .range(from: p.from ?? 0, to: p.to ?? 0) }
                return SweepSpec.Parameter(path: p.path, values: values)
            },
            samples: samples)
    }

    /// The sweep's key: lowercase hexadecimal SHA-256 of this definition as compact JSON with
    /// sorted snake_case keys (what sweep.json's `definition` holds, without the whitespace).
    var key: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return SHA256.hex(Array((try? encoder.encode(self)) ?? Data()))
    }
}

/// A target of the swept scenario, as sweep.json describes it (its verdicts are in the points).
struct SweepTarget: Codable, Hashable {
    var name: String
    var shareOf: String
    var group: String
    var ranks: [String]
    var comparison: String
    var threshold: Double
    var periodStart: String?
    var date: String

    init(_ target: Target, _ model: Model) {
        name = target.name
        shareOf = TargetsFile.ShareOf(target.population).rawValue
        group = target.groupLabel
        ranks = TargetsFile.ranks(target, model)
        comparison = target.comparison.rawValue
        threshold = target.threshold
        periodStart = target.population == .officers ? nil : target.periodStart.description
        date = target.date.description
    }
}

/// One finished point: its parameter values and each target's verdict there.
struct SweepPoint: Codable, Hashable {
    /// The point's number in the whole sweep, from 0.
    var point: Int
    /// The parameters' values, in the definition's order.
    var values: [Double]
    /// One per target, in the scenario's order.
    var targets: [Verdict]

    /// A target's verdict at a point. Quantiles of the measure (a share, 0...1) are nil when no
    /// replication defined it (an empty denominator).
    struct Verdict: Codable, Hashable {
        var name: String
        /// The threshold at this point (a sweep may vary it).
        var threshold: Double
        /// The fraction of replications meeting the target at its date.
        var probabilityMet: Double
        var p5: Double?
        var p50: Double?
        var p95: Double?
    }

    init(point: Int, values: [Double], _ summaries: [TargetSummary]) {
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
struct SweepFile: Codable {
    static let schema = "workforce.sweep/1"

    var schema = Self.schema
    var key: String
    var definition: SweepDefinition
    var targets: [SweepTarget]
    var shard: Shard?
    var points: [SweepPoint]
}

/// What a sweep writes, and how: every file is written whole to a temporary name and renamed
/// into place, so no reader (nor a resumed sweep) ever sees one half-written.
enum SweepFiles {
    static let json = "sweep.json"
    static let csv = "sweep.csv"
    static let manifest = "manifest.json"

    /// The folder of finished points while a sweep runs: `<out>/.sweep-work-<first 16 digits of
    /// the key>/`, one `<point>.json` (`WorkPoint`) per finished point. Removed once the results
    /// are written.
    static func workFolder(_ out: URL, key: String) -> URL {
        out.appendingPathComponent(".sweep-work-\(key.prefix(16))")
    }

    /// A finished point in the work folder, with the key of its sweep.
    struct WorkPoint: Codable {
        var key: String
        var point: SweepPoint
    }

    /// Saves a finished point into the work folder (creating it if need be), and returns it as
    /// read back from the bytes written: what a resumed run gets, so that both write the same.
    static func save(_ point: SweepPoint, key: String, in folder: URL) throws -> SweepPoint {
        let data = Data(try ResultJSON.encode(WorkPoint(key: key, point: point)).utf8)
        try AtomicWriter.replaceFiles([(folder.appendingPathComponent(String(format: "%07d.json", point.point)).path, data)])
        return try decoder.decode(WorkPoint.self, from: data).point
    }

    /// The finished points of the sweep `key` found in `out`: those of an earlier sweep.json with
    /// the same key, then those in its work folder. A point file of another sweep, or one whose
    /// values are not the design's, is refused (points of different definitions never mix).
    static func finished(in out: URL, key: String, design: SweepDesign) throws(CommandFailure) -> [Int: SweepPoint] {
        var points: [Int: SweepPoint] = [:]
        if let file = try? read(out.appendingPathComponent(json)), file.key == key {
            for point in file.points { points[point.point] = point }
        }
        let folder = workFolder(out, key: key)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            // Files are renamed into place whole, so one that does not decode was not written by a sweep.
            guard let data = FileManager.default.contents(atPath: url.path), let work = try? decoder.decode(WorkPoint.self, from: data) else {
                throw CommandFailure(.invalidInput, "\(url.path) is not a finished sweep point; expected only point files in \(folder.path) (delete it to start afresh)")
            }
            let point = work.point
            guard work.key == key, design.points.indices.contains(point.point), design.points[point.point] == point.values else {
                throw CommandFailure(.invalidInput, "\(url.path) is a point of another sweep; expected only points of sweep \(key) (delete \(folder.path) to start afresh)")
            }
            points[point.point] = point
        }
        return points
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// Reads a sweep.json (or a folder holding one): nil when there is no such file.
    static func read(_ url: URL) throws -> SweepFile? {
        var isFolder: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
            ? url.appendingPathComponent(json) : url
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return try decoder.decode(SweepFile.self, from: data)
    }

    /// Writes sweep.json, sweep.csv and manifest.json as the folder `out`, together: the folder
    /// is replaced whole (dropping the work folder of finished points). A folder holding files
    /// that are not a sweep's is refused rather than replaced.
    static func write(_ file: SweepFile, manifest: Manifest, to out: URL) throws {
        let foreign = ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { name in
            ![json, csv, Self.manifest].contains(name) && !name.hasPrefix(".sweep-work-")
                && !name.hasSuffix(".html") && !name.hasSuffix(".md") && !name.hasSuffix(".svg")
        }
        guard foreign.isEmpty else {
            throw AtomicWriter.WriteError(
                path: out.path, reason: "it holds files that are not a sweep's (\(foreign.sorted().prefix(3).joined(separator: ", "))); "
                    + "expected a sweep's own folder (choose another --out)")
        }
        try AtomicWriter.replaceFolder(out.path, with: [
            (json, try ResultJSON.encode(file)), (csv, table(file)), (Self.manifest, try ResultJSON.encode(manifest)),
        ])
    }

    /// sweep.csv: one row per point. Columns: `point`; each parameter's path (its value); then
    /// for each target `<name>: probability_met` (4 decimals), `<name>: p5`, `<name>: p50` and
    /// `<name>: p95` (its measure's quantiles, 6 decimals; `NA` when undefined).
    static func table(_ file: SweepFile) -> String {
        let header = ["point"] + file.definition.parameters.map(\.path)
            + file.targets.flatMap { t in ["probability_met", "p5", "p50", "p95"].map { "\(t.name): \($0)" } }
        return CSVWriter.table(header, file.points.map { point in
            [String(point.point)] + point.values.map(SweepSpec.text)
                + point.targets.flatMap { v in
                    [CSVWriter.number(v.probabilityMet, 4)] + [v.p5, v.p50, v.p95].map { CSVWriter.number($0 ?? .nan, 6) }
                }
        })
    }

    /// manifest.json: how the files were made (not what they hold), so it differs between runs
    /// of the same sweep; schema `workforce.sweep-manifest/1`.
    struct Manifest: Encodable {
        var schema = "workforce.sweep-manifest/1"
        /// `sweep` or `merge`.
        var command: String
        var key: String
        /// The scenario file as given (sweep), or the merged inputs (merge).
        var inputs: [String]
        var shard: Shard?
        /// Points computed by this run, and points kept from an interrupted one (sweep only).
        var computed: Int?
        var kept: Int?
        var threads: Int?
        var host = ProcessInfo.processInfo.hostName
        var version = Version.current
        var started: String
        var wallTimeSeconds: Double
    }
}
