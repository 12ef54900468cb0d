import Foundation
import WorkforceResults
import WorkforceScenario

extension Frontend {
    /// Combines the sweep.json of a sweep's shards (or of any runs of one sweep) into the whole
    /// sweep's sweep.json, sweep.csv and manifest.json in `out`: the first two exactly as one run
    /// of the whole sweep writes them. Refuses inputs of different sweeps, points that disagree,
    /// and an incomplete set.
    static func merge(_ inputs: [String], out: String, json: Bool) throws {
        try OutputOwnership.checkPaths(outputs: [(out, "--out")], inputs: inputs)
        let clock = ContinuousClock()
        let started = clock.now
        let startedAt = Date()
        let merged = try combine(inputs)
        let output = URL(fileURLWithPath: out)
        let seconds = Self.seconds(clock.now - started)
        let manifest = SweepFiles.Manifest(
            command: .merge, key: merged.key, inputs: inputs, started: ISO8601DateFormatter().string(from: startedAt),
            wallTimeSeconds: seconds)
        do {
            try SweepFiles.write(merged, manifest: manifest, to: output)
        } catch {
            throw CommandFailure(.cannotWrite, "\(error)")
        }
        let report = SweepReport(
            command: "merge", file: merged, output: output, computed: 0, kept: merged.points.count, seconds: seconds, inputs: inputs)
        Terminal.print(json ? report.json : report.text)
    }

    /// The whole sweep made of the inputs' points.
    private static func combine(_ inputs: [String]) throws(CommandFailure) -> SweepFile {
        func invalid(_ message: String) -> CommandFailure { CommandFailure(.invalidInput, message) }
        var files: [(input: String, file: SweepFile)] = []
        for input in inputs {
            let file: SweepFile
            do {
                guard let read = try SweepFiles.read(URL(fileURLWithPath: input)) else {
                    throw invalid("\(input): no sweep.json there; expected a folder written by workforce sweep")
                }
                file = read
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw invalid("\(input): not a sweep.json (\(error)); expected a file written by workforce sweep")
            }
            guard file.schema == SweepFile.schema else {
                throw invalid("\(input): schema \(file.schema); expected \(SweepFile.schema)")
            }
            guard file.key == file.definition.key else {
                throw invalid("\(input): its key does not match its definition; expected an unmodified sweep.json")
            }
            if let first = files.first, first.file.key != file.key {
                let fields = differences(first.file.definition, file.definition).joined(separator: ", ")
                throw invalid("\(input) is another sweep than \(first.input) (they differ in \(fields)); expected outputs of one sweep")
            }
            files.append((input, file))
        }
        var points: [Int: (input: String, point: SweepPoint)] = [:]
        for (input, file) in files {
            for point in file.points {
                if let seen = points[point.point], seen.point != point {
                    throw invalid("point \(point.point) differs between \(seen.input) and \(input); expected the same results (the same build of workforce and GSL on every host)")
                }
                points[point.point] = (input, point)
            }
        }
        let whole = files[0].file
        let missing = (0..<whole.definition.points).filter { points[$0] == nil }
        guard missing.isEmpty else {
            let some = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw invalid("\(missing.count) of the sweep's \(whole.definition.points) points are missing (\(some)); expected the outputs of every shard")
        }
        return SweepFile(
            key: whole.key, definition: whole.definition, targets: whole.targets, shard: nil,
            points: (0..<whole.definition.points).map { points[$0]!.point })
    }

    /// The names of the fields in which two definitions differ.
    private static func differences(_ a: SweepDefinition, _ b: SweepDefinition) -> [String] {
        let fields: [(String, (SweepDefinition) -> AnyHashable)] = [
            ("scenario", { $0.scenario }), ("sha256", { $0.sha256 }), ("overrides", { $0.overrides }), ("mode", { $0.mode }),
            ("seed", { $0.seed }), ("replications", { $0.replications }), ("version", { $0.version }),
            ("gsl_version", { $0.gslVersion }), ("design", { $0.design }), ("samples", { $0.samples }),
            ("parameters", { $0.parameters }), ("points", { $0.points }),
        ]
        return fields.filter { $0.1(a) != $0.1(b) }.map(\.0)
    }
}
