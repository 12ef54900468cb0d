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
            if let first = files.first, first.file.targets != file.targets {
                throw invalid("\(input): its targets differ from those of \(first.input); expected outputs of one sweep, unmodified")
            }
            try checkPoints(file, input: input)
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

    /// Checks each of a sweep.json's points whole (the key covers only the definition): its number
    /// within the sweep (and the shard), its values the design's, one verdict per target of the
    /// file with the target's name and threshold, a probability in 0...1 and finite quantiles.
    /// A point edited by hand is invalid input (65), located by the file and the point.
    private static func checkPoints(_ file: SweepFile, input: String) throws(CommandFailure) {
        let design: SweepDesign
        do {
            let spec = file.definition.spec
            guard spec.problems.isEmpty else { throw CommandFailure(.invalidInput, "") }
            design = try SweepDesign(spec, seed: file.definition.seed)
        } catch {
            throw CommandFailure(.invalidInput, "\(input): its sweep definition does not give a design; expected an unmodified sweep.json")
        }
        func invalid(_ point: SweepPoint, _ what: String, _ expected: String) -> CommandFailure {
            CommandFailure(.invalidInput, "\(input): point \(point.point): \(what); expected \(expected) (an unmodified sweep.json)")
        }
        for point in file.points {
            guard design.points.indices.contains(point.point), file.shard?.contains(point: point.point) ?? true else {
                throw invalid(point, "no such point in \(file.shard.map { "shard \($0) of " } ?? "")the sweep", "a point number from 0 to \(design.points.count - 1)")
            }
            guard point.values == design.points[point.point] else {
                throw invalid(point, "values \(point.values.map(SweepSpec.text).joined(separator: ", "))",
                              "the design's \(design.points[point.point].map(SweepSpec.text).joined(separator: ", "))")
            }
            guard point.targets.map(\.name) == file.targets.map(\.name), point.targets.map(\.threshold) == file.targets.map(\.threshold) else {
                throw invalid(point, point.targets.isEmpty ? "no targets" : "targets \(point.targets.map { "'\($0.name)'" }.joined(separator: ", "))",
                              "one per target of the sweep, in order: \(file.targets.map { "'\($0.name)'" }.joined(separator: ", "))")
            }
            for verdict in point.targets {
                guard (0...1).contains(verdict.probabilityMet), [verdict.p5, verdict.p50, verdict.p95].allSatisfy({ $0?.isFinite ?? true }) else {
                    throw invalid(point, "'\(verdict.name)' has probability \(verdict.probabilityMet)", "a probability from 0 to 1 and finite quantiles")
                }
            }
        }
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
