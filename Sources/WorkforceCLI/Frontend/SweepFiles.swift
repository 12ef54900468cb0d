import Foundation
import Workforce
import WorkforceResults
import WorkforceScenario

extension SweepDefinition {
    init(_ scenario: LoadedScenario, _ sweep: SweepDesign, overrides: [String], options: Engine.Options) {
        self.init(
            scenario: scenario.model.name, sha256: scenario.sha256, overrides: overrides, mode: RunManifest.Mode(expected: options.expected),
            seed: options.seed, replications: options.expected ? 1 : options.replications, version: Version.current, gslVersion: Engine.gslVersion,
            design: sweep.spec.samples == nil ? "grid" : "latin-hypercube", samples: sweep.spec.samples,
            parameters: sweep.spec.parameters.map { parameter in
                switch parameter.values {
                case .steps(let from, let to, let step): Parameter(path: parameter.path, from: from, to: to, step: step, lever: parameter.lever ? true : nil)
                case .range(let from, let to): Parameter(path: parameter.path, from: from, to: to, lever: parameter.lever ? true : nil)
                case .list(let values): Parameter(path: parameter.path, values: values, lever: parameter.lever ? true : nil)
                }
            },
            points: sweep.points.count)
    }
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
    /// is replaced whole (dropping the work folder of finished points). A folder that is not a
    /// sweep's (`OutputOwnership`) is refused rather than replaced.
    static func write(_ file: SweepFile, manifest: Manifest, to out: URL) throws {
        try AtomicWriter.replaceFolder(out.path, owner: manifest.command, with: [
            (json, try ResultJSON.encode(file)), (csv, file.csv), (Self.manifest, try ResultJSON.encode(manifest)),
        ])
    }

    /// manifest.json: how the files were made (not what they hold), so it differs between runs
    /// of the same sweep; schema `workforce.sweep-manifest/1`.
    struct Manifest: Codable {
        var schema = "workforce.sweep-manifest/1"
        /// `sweep` or `merge`: the folder's mark (`OutputOwnership`).
        var command: OutputKind
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
