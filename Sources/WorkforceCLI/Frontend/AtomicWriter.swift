import Foundation

/// The one way a command's outputs reach the disk: the whole set is written into one temporary
/// folder beside its destination and made visible by renames only once every byte is written and
/// flushed, so a reader sees all of the set or none of it.
///
/// What a killed run leaves behind (`.NAME.tmp-PID`, `.NAME.old-PID`, `.workforce-files.tmp-PID`
/// of a process no longer running) is recovered or removed by the next write to the same place,
/// which says what it did on stderr. Failures are `WriteError`s naming the path and the reason
/// in words; callers turn them into a `CommandFailure.Kind.cannotWrite`.
enum AtomicWriter {
    /// A write that failed: the path, and why in words ("No space left on device").
    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot write \(path): \(reason)" }

        init(path: String, reason: String) {
            (self.path, self.reason) = (path, reason)
        }

        /// A Foundation error in words: the system's reason (errno's, "No space left on device")
        /// where the error carries one, else its description, never `Error Domain=…` text.
        init(path: String, _ error: Error) {
            let ns = error as NSError
            let posix = ns.domain == NSPOSIXErrorDomain ? ns : (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0 : nil }
            if let posix {
                // checked: an errno code, small
                self.init(path: path, reason: String(cString: strerror(Int32(posix.code))))
            } else if let cocoa = error as? CocoaError {
                let words: [CocoaError.Code: Int32] = [.fileWriteOutOfSpace: ENOSPC, .fileWriteVolumeReadOnly: EROFS, .fileWriteNoPermission: EACCES]
                self.init(path: path, reason: words[cocoa.code].map { String(cString: strerror($0)) } ?? cocoa.localizedDescription)
            } else {
                self.init(path: path, reason: ns.localizedDescription)
            }
        }
    }

    /// The marker written last into a file set's temporary folder: its lines are the destination
    /// paths, in the order of the files `0`, `1`, ... beside it. A folder with it is complete.
    private static let journal = "destinations"

    // MARK: Folders

    /// Replaces the folder `folder` by one holding exactly `files` (name → contents): written into
    /// `.NAME.tmp-PID` beside it, the old folder renamed to `.NAME.old-PID`, the new one renamed
    /// into place, the old one removed. A regular file at `folder` is an error, never deleted.
    /// `moving` are files already written elsewhere on the same file system (a run's streamed
    /// per-replication results) that are moved in beside `files` before the swap. Files of the old
    /// folder that `keeping` accepts (and the new set does not have) are copied into the new one,
    /// so that other commands' files there survive.
    ///
    /// `owner` is the command writing: the folder is replaced only when `OutputOwnership` allows
    /// it (empty, or bearing the mark of the same kind of command), and the new folder bears that
    /// mark (`manifest.json`: the command's own, or `OutputOwnership.mark` when `files` has none).
    static func replaceFolder(
        _ folder: String, owner: OutputKind, with files: [(name: String, contents: String)], moving: [(name: String, path: String)] = [],
        keeping: (String) -> Bool = { _ in false }
    ) throws(WriteError) {
        let target = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        let name = target.lastPathComponent
        try makeFolder(parent)
        recoverFolder(name, in: parent)
        if case .file = kind(target.path) {
            throw WriteError(path: target.path, reason: "a file is in the way; expected a folder (move or delete the file)")
        }
        var files = files
        if !files.contains(where: { $0.name == OutputOwnership.markFile }) {
            files.append((OutputOwnership.markFile, OutputOwnership.mark(owner)))
        }
        let written = Set(files.map(\.name) + moving.map(\.name))
        try OutputOwnership.check(target.path, owner: owner, writing: { written.contains($0) }, keeping: keeping)
        let pid = getpid()
        let temporary = "\(parent)/.\(name).tmp-\(pid)"
        let old = "\(parent)/.\(name).old-\(pid)"
        remove(temporary)
        do throws(WriteError) {
            try makeFolder(temporary)
            for (file, contents) in files { try writeFile("\(temporary)/\(file)", Data(contents.utf8)) }
            for (file, path) in moving { try move(path, to: "\(temporary)/\(file)") }
            let written = Set(files.map(\.name) + moving.map(\.name))
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
            for file in existing.sorted() where !written.contains(file) && keeping(file) {
                let path = "\(target.path)/\(file)"
                guard kind(path) == .file, let data = FileManager.default.contents(atPath: path) else { continue }
                try writeFile("\(temporary)/\(file)", data)
            }
            try sync(temporary)
            let hadOld = kind(target.path) == .folder
            if hadOld {
                hook("rename-old")
                try move(target.path, to: old)
            }
            hook("rename-new")
            do throws(WriteError) {
                try move(temporary, to: target.path)
            } catch {
                if hadOld { try? move(old, to: target.path) }
                throw error
            }
            try? sync(parent)
        } catch {
            remove(temporary)
            throw error
        }
        remove(old)
    }

    /// Creates, empty, a hidden folder beside `folder` for outputs written elsewhere before they
    /// are moved into it with `replaceFolder(moving:)` (results.xlsx, which libxlsxwriter writes
    /// to a path; per-replication files, streamed): `.NAME.KIND-PID`. A killed run's is removed by
    /// the next write to `folder` (`recoverFolder`). A file in the way of the parent is an error
    /// naming it, as in `replaceFolder`.
    static func stagingFolder(for folder: String, kind: String) throws(WriteError) -> String {
        let target = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        try makeFolder(parent)
        let staging = "\(parent)/.\(target.lastPathComponent).\(kind)-\(getpid())"
        remove(staging)
        try makeFolder(staging)
        return staging
    }

    /// Recovers what an earlier, killed replacement of `NAME` left in `parent`: a lone
    /// `.NAME.old-PID` (the kill fell between the two renames) is renamed back; stale temporary
    /// folders (a killed `run --per-replication`'s `.NAME.replications-PID` too), and old folders
    /// whose replacement is in place, are removed.
    private static func recoverFolder(_ name: String, in parent: String) {
        for entry in staleEntries(in: parent, prefixes: [".\(name).tmp-", ".\(name).old-", ".\(name).replications-", ".\(name).xlsx-"]) {
            let path = "\(parent)/\(entry)"
            if entry.hasPrefix(".\(name).old-"), kind("\(parent)/\(name)") == .missing, (try? move(path, to: "\(parent)/\(name)")) != nil {
                Terminal.error("note: restored \(parent)/\(name) from \(entry), left by a run that was stopped while replacing it")
            } else {
                remove(path)
                Terminal.error("note: removed \(path), left by a run that was stopped while writing")
            }
        }
    }

    // MARK: Files

    /// Replaces the files at `files`' paths together: all are written into one temporary folder
    /// beside the first, with the journal of their destinations written last; then each is
    /// renamed into place and the folder removed. A run killed among the renames leaves a
    /// complete folder, which the next write there finishes (renaming the rest into place); an
    /// incomplete one is removed.
    static func replaceFiles(_ files: [(path: String, contents: Data)]) throws(WriteError) {
        guard !files.isEmpty else { return }
        let destinations = files.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path }
        let parent = URL(fileURLWithPath: destinations[0]).deletingLastPathComponent().path
        for destination in destinations {
            try makeFolder(URL(fileURLWithPath: destination).deletingLastPathComponent().path)
            if kind(destination) == .folder {
                throw WriteError(path: destination, reason: "a folder is in the way; expected a file (move or delete the folder)")
            }
        }
        recoverFiles(in: parent)
        let temporary = "\(parent)/.workforce-files.tmp-\(getpid())"
        remove(temporary)
        do throws(WriteError) {
            try makeFolder(temporary)
            for (i, file) in files.enumerated() { try writeFile("\(temporary)/\(i)", file.contents) }
            try writeFile("\(temporary)/\(journal)", Data(destinations.joined(separator: "\n").utf8))
            try sync(temporary)
            try finish(temporary, destinations)
        } catch {
            remove(temporary)
            throw error
        }
    }

    /// Renames a complete file set's files into place, then removes its folder.
    private static func finish(_ temporary: String, _ destinations: [String]) throws(WriteError) {
        for (i, destination) in destinations.enumerated() where kind("\(temporary)/\(i)") == .file {
            hook(i == 0 ? "rename-new" : "rename-next")
            try move("\(temporary)/\(i)", to: destination)
        }
        remove(temporary)
    }

    /// Finishes or removes the file sets of killed runs in `parent`.
    private static func recoverFiles(in parent: String) {
        for entry in staleEntries(in: parent, prefixes: [".workforce-files.tmp-"]) {
            let path = "\(parent)/\(entry)"
            if let data = FileManager.default.contents(atPath: "\(path)/\(journal)"),
               let text = String(data: data, encoding: .utf8),
               (try? finish(path, text.components(separatedBy: "\n"))) != nil {
                Terminal.error("note: finished writing \(text.components(separatedBy: "\n").joined(separator: ", ")), left half-renamed by a run that was stopped")
            } else {
                remove(path)
                Terminal.error("note: removed \(path), left by a run that was stopped while writing")
            }
        }
    }

    // MARK: Primitives

    fileprivate enum Kind { case missing, file, folder }

    fileprivate static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .folder : .file
    }

    /// Entries of `parent` with one of `prefixes` followed by the id of a process that is no
    /// longer running.
    private static func staleEntries(in parent: String, prefixes: [String]) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        return names.sorted().filter { name in
            // checked: from text: nil when not a process id that fits
            guard let prefix = prefixes.first(where: { name.hasPrefix($0) }), let pid = Int32(name.dropFirst(prefix.count)) else {
                return false
            }
            return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
        }
    }

    private static func failure(_ path: String) -> WriteError {
        WriteError(path: path, reason: String(cString: strerror(errno)))
    }

    private static func makeFolder(_ path: String) throws(WriteError) {
        // One component at a time, so that a failure names the component and errno's reason.
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/\(part)"
            switch kind(prefix) {
            case .folder: continue
            case .file: throw WriteError(path: prefix, reason: "a file is in the way; expected a folder (move or delete the file)")
            case .missing: if mkdir(prefix, 0o777) != 0 && errno != EEXIST { throw failure(prefix) }
            }
        }
    }

    /// Writes and flushes one file.
    private static func writeFile(_ path: String, _ data: Data) throws(WriteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        guard fd >= 0 else { throw failure(path) }
        defer { close(fd) }
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress! + offset, data.count - offset) }
            guard written > 0 else { throw failure(path) }
            offset += written
        }
        guard fsync(fd) == 0 else { throw failure(path) }
    }

    /// Flushes a folder's entries to disk.
    private static func sync(_ path: String) throws(WriteError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure(path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(path) }
    }

    private static func move(_ from: String, to: String) throws(WriteError) {
        guard rename(from, to) == 0 else { throw failure(to) }
    }

    private static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Test hook: in debug builds, `WORKFORCE_TEST_KILL_AT=<point>` kills the process with
    /// SIGKILL at that point (`rename-old`: before the old folder is moved aside; `rename-new`: before the
    /// first rename into place; `rename-next`: before each later file of a set), so the fault tests can stop a write
    /// exactly there. Release builds ignore it.
    private static func hook(_ point: String) {
        #if DEBUG
        if ProcessInfo.processInfo.environment["WORKFORCE_TEST_KILL_AT"] == point { kill(getpid(), SIGKILL) }
        #endif
    }
}

/// The kinds of command that write a folder, as recorded in the folder's mark: the `command` of
/// its `manifest.json`.
enum OutputKind: String, Sendable, CaseIterable, Codable {
    case run, sweep, merge, compare, solve, sensitivity, attribute, report, evaluate

    /// Whether a folder written by `other` is of the same kind as one this command writes: the
    /// same command, or `sweep` and `merge` (a merged sweep is byte for byte the single run's).
    func isSameKind(as other: OutputKind) -> Bool {
        self == other || Set([self, other]).isSubset(of: [.sweep, .merge])
    }
}

/// Who may replace what: the one ownership rule, applied by `AtomicWriter.replaceFolder` for
/// every command that writes a folder, and by `checkPaths` for every command's output paths.
///
/// The rule: every folder the tool writes holds a `manifest.json` naming the kind of command
/// that wrote it (a run's `workforce.manifest/1` is a run's; other manifests carry `command`).
/// A folder in the way is replaced only when it is empty, or bears the mark of the same kind of
/// command and holds nothing but that command's files (a run also keeps other regular files,
/// such as `backtest.csv`, copying them into the new folder). A folder without a mark (written
/// before marks, or by the user) is replaced only when it holds nothing but the files about to
/// be written (and charts, `.svg`). Anything else is a `WriteError` (exit 73) naming the path and
/// what to do; nothing is deleted. No output may be an input, inside one, or hold one, nor
/// overlap another output of the same command (`checkPaths`).
enum OutputOwnership {
    /// The file that marks a folder as the tool's.
    static let markFile = "manifest.json"

    /// The mark of a folder whose command writes no manifest of its own (schema
    /// `workforce.output/1`): the command and the version that wrote it, nothing that varies
    /// between runs, so outputs stay byte-identical.
    static func mark(_ owner: OutputKind) -> String {
        "{\n  \"schema\" : \"workforce.output/1\",\n  \"command\" : \"\(owner.rawValue)\",\n  \"version\" : \"\(Version.current)\"\n}\n"
    }

    /// The kind of command whose mark `folder` bears, or nil when it bears none.
    static func markedKind(of folder: String) -> OutputKind? {
        struct Mark: Decodable { var schema: String?, command: String? }
        guard let data = FileManager.default.contents(atPath: "\(folder)/\(markFile)"),
              let mark = try? JSONDecoder().decode(Mark.self, from: data)
        else { return nil }
        if let command = mark.command { return OutputKind(rawValue: command) }
        return mark.schema == "workforce.manifest/1" ? .run : nil
    }

    /// Throws unless `owner` may replace the folder at `folder` with files whose names `writing`
    /// accepts; `keeping` accepts the foreign regular files a command keeps (a run's), copied
    /// over. Cost: one listing of the folder and one read of its mark. Commands that run for long
    /// call it before they start, as well as `replaceFolder` at the end.
    static func check(
        _ folder: String, owner: OutputKind, writing: (String) -> Bool, keeping: (String) -> Bool = { _ in false }
    ) throws(AtomicWriter.WriteError) {
        guard AtomicWriter.kind(folder) == .folder else { return }
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        guard !entries.isEmpty else { return }
        let marked = markedKind(of: folder)
        if let marked, !marked.isSameKind(as: owner) {
            throw AtomicWriter.WriteError(
                path: folder, reason: "it was written by `workforce \(marked.rawValue)`, not `workforce \(owner.rawValue)`; "
                    + "expected an empty folder or one written by `workforce \(owner.rawValue)` (choose another --out)")
        }
        func own(_ name: String) -> Bool {
            writing(name) || name == markFile || name.hasSuffix(".svg")
                || (owner.isSameKind(as: .sweep) && name.hasPrefix(".sweep-work-"))
        }
        let subfolders = entries.filter { !own($0) && AtomicWriter.kind("\(folder)/\($0)") == .folder }
        let foreign = entries.filter { !own($0) && !(marked != nil && keeping($0) && AtomicWriter.kind("\(folder)/\($0)") == .file) }
        guard foreign.isEmpty else {
            let listed = foreign.prefix(3).map { subfolders.contains($0) ? "\($0)/" : $0 }.joined(separator: ", ") + (foreign.count > 3 ? ", …" : "")
            throw AtomicWriter.WriteError(
                path: folder, reason: "it holds \(listed), which `workforce \(owner.rawValue)` did not write; "
                    + "expected an empty folder or one written by `workforce \(owner.rawValue)` (choose another --out, or move \(foreign.count == 1 ? "it" : "them") out)")
        }
    }

    /// Throws unless `command` may add its files to `folder`, a folder that `kind` writes
    /// (backtest's files go into a run's folder): the folder is missing, empty, or bears `kind`'s mark.
    static func checkAdding(to folder: String, kind: OutputKind, command: String) throws(AtomicWriter.WriteError) {
        guard AtomicWriter.kind(folder) == .folder, !((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).isEmpty,
              markedKind(of: folder).map({ !$0.isSameKind(as: kind) }) ?? true
        else { return }
        throw AtomicWriter.WriteError(
            path: folder, reason: "it is not a folder written by `workforce \(kind.rawValue)`; expected a run's results folder for `workforce \(command)` "
                + "to add its files to (choose another --out)")
    }

    /// Throws unless the output paths (`label`: the option that named it, e.g. `--out`) are
    /// apart from the inputs and from each other: none the same as, inside, or holding another
    /// (symbolic links resolved). `outputs` are files or folders about to be written. Called by
    /// each command before it reads or runs anything; a clash is exit 73.
    static func checkPaths(outputs: [(path: String, label: String)], inputs: [String]) throws(CommandFailure) {
        func resolved(_ path: String) -> [String] {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().pathComponents
        }
        func overlap(_ a: [String], _ b: [String]) -> Bool {
            a.count <= b.count ? Array(b.prefix(a.count)) == a : Array(a.prefix(b.count)) == b
        }
        let outs = outputs.map { ($0, resolved($0.path)) }
        for (i, (output, path)) in outs.enumerated() {
            for input in inputs where overlap(path, resolved(input)) {
                let how = resolved(input) == path ? "is the input \(input)"
                    : path.count < resolved(input).count ? "holds the input \(input), which writing there would delete" : "is inside the input \(input)"
                throw CommandFailure(.cannotWrite, AtomicWriter.WriteError(
                    path: output.path, reason: "\(output.label) \(how); expected a path apart from the inputs (choose another \(output.label))").description)
            }
            for (other, otherPath) in outs[..<i] where overlap(path, otherPath) {
                throw CommandFailure(.cannotWrite, AtomicWriter.WriteError(
                    path: output.path, reason: "\(output.label) and \(other.label) name the same place (\(other.path)); expected a separate path for each output").description)
            }
        }
    }
}
