import WorkforceFormats
import Foundation
import Workforce
import WorkforceScenario

/// `run --per-replication`: streams every replication's results to two CSV files as the engine
/// hands them over in replication order, so nothing is held per replication.
///
/// - `replication_targets.csv`: replication, target, date, value (the measure at the date; NA
///   where its denominator is empty), met (1, 0 or NA), first_met (the month from which it was
///   met and kept met to its date or, missed then, the end of the first whole year after it met
///   throughout; `never`; docs/engine.md, "First met").
/// - `replication_headcounts.csv`: replication, date, rank, ethnicity, gender, headcount at each
///   report date (the start, each anniversary, the horizon, each officer target's date), for
///   every rank and All × every category, aggregate and All of each dimension.
///
/// Numbers are written in full (whole numbers as integers, others as the shortest decimal that
/// reads back to the same double), so an auditor can recompute every summary exactly. The files
/// are written in a hidden folder beside the results and moved into the results folder with the
/// other files (`AtomicWriter.replaceFolder`).
final class ReplicationWriter {
    static let files = ["replication_targets.csv", "replication_headcounts.csv"]

    let folder: URL
    private let plan: Plan
    private let handles: [FileHandle]
    private var buffers = ["", ""]
    private var failure: Error?
    private let rankSets: [(label: Label, members: [Int])]
    private let ethnicitySets: [(label: Label, members: [Int])]
    private let genderSets: [(label: Label, members: [Int])]

    /// Creates the hidden folder `<parent of results>/.<name>.replications-<pid>` and the files' headers.
    init(model: Model, results: String) throws {
        plan = Plan(model)
        let d = model.dimensions
        rankSets = d.ranks.indices.map { (.category(d.ranks[$0]), [$0]) } + [(.all, Array(d.ranks.indices))]
        ethnicitySets = SummaryAccumulator.categorySets(d.ethnicities, d.aggregates.filter { $0.dimension == .ethnicity })
        genderSets = SummaryAccumulator.categorySets(d.genders, d.aggregates.filter { $0.dimension == .gender })
        let fm = FileManager.default
        let folder = URL(fileURLWithPath: try AtomicWriter.stagingFolder(for: results, kind: "replications"))
        self.folder = folder
        handles = try Self.files.map { (name) throws(AtomicWriter.WriteError) in
            let url = folder.appendingPathComponent(name)
            guard fm.createFile(atPath: url.path, contents: nil) else { throw AtomicWriter.WriteError(path: url.path, reason: String(cString: strerror(errno))) }
            do {
                return try FileHandle(forWritingTo: url)
            } catch {
                throw AtomicWriter.WriteError(path: url.path, error)
            }
        }
        buffers[0] = "replication,target,date,value,met,first_met\n"
        buffers[1] = "replication,date,rank,ethnicity,gender,headcount\n"
    }

    deinit { handles.forEach { try? $0.close() } }

    /// The files written so far, to be moved into the results folder after `finish()`.
    var written: [(name: String, path: String)] { Self.files.map { ($0, folder.appendingPathComponent($0).path) } }

    /// Appends one replication's rows (called by the engine in replication order).
    func append(_ record: ReplicationRecord) {
        let model = plan.model, d = model.dimensions, timeline = model.timeline
        let i = String(record.replication)
        for (t, target) in model.targets.enumerated() {
            let value = record.targetValues[t]
            let met = value.isNaN ? "NA" : target.isMet(value) ? "1" : "0"
            let first = record.firstMet[t] < 0 ? "never" : timeline.end(ofStep: Int(record.firstMet[t])).description  // checked: Int32 widened to Int
            buffers[0] += [i, CSVWriter.field(target.name), target.date.description, Self.exact(value), met, first].joined(separator: ",") + "\n"
        }
        let G = d.genders.count
        for (k, step) in plan.reportSteps.enumerated() {
            let date = plan.month(ofStep: step).description
            for ranks in rankSets {
                for ethnicities in ethnicitySets {
                    for genders in genderSets {
                        var sum = 0.0
                        for r in ranks.members {
                            for e in ethnicities.members {
                                for g in genders.members { sum += record.counts[plan.headcountIndex(report: k, rank: r, group: e * G + g)] }
                            }
                        }
                        buffers[1] += [i, date, ranks.label.name, ethnicities.label.name, genders.label.name].map(CSVWriter.field).joined(separator: ",")
                            + "," + Self.exact(sum) + "\n"
                    }
                }
            }
        }
        if buffers[1].utf8.count > 1 << 20 { flush() }
    }

    /// Writes what is buffered and closes the files; throws the first write error, if any.
    func finish() throws {
        flush()
        if let failure { throw failure }
        for (j, handle) in handles.enumerated() {
            do {
                try handle.close()
            } catch {
                throw AtomicWriter.WriteError(path: folder.appendingPathComponent(Self.files[j]).path, error)
            }
        }
    }

    /// Removes the hidden folder (after a failure, or once its files have been moved).
    func discard() { try? FileManager.default.removeItem(at: folder) }

    private func flush() {
        for (j, handle) in handles.enumerated() where !buffers[j].isEmpty {
            do {
                try handle.write(contentsOf: Data(buffers[j].utf8))
            } catch {
                failure = failure ?? AtomicWriter.WriteError(path: folder.appendingPathComponent(Self.files[j]).path, error)
            }
            buffers[j] = ""
        }
    }

    /// A number in full: whole numbers as integers, others as the shortest decimal that reads back
    /// to the same double; NA when undefined.
    static func exact(_ x: Double) -> String {
        if x.isNaN { return "NA" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }  // checked: |x| < 1e15 fits Int
        return "\(x)"
    }
}
