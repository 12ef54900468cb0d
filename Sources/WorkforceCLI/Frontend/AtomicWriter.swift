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
    static func replaceFolder(
        _ folder: String, with files: [(name: String, contents: String)], moving: [(name: String, path: String)] = [],
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
            for file in existing.sorted() where !file.hasPrefix(".") && !written.contains(file) && keeping(file) {
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

    /// Recovers what an earlier, killed replacement of `NAME` left in `parent`: a lone
    /// `.NAME.old-PID` (the kill fell between the two renames) is renamed back; stale temporary
    /// folders, and old folders whose replacement is in place, are removed.
    private static func recoverFolder(_ name: String, in parent: String) {
        for entry in staleEntries(in: parent, prefixes: [".\(name).tmp-", ".\(name).old-"]) {
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

    private enum Kind { case missing, file, folder }

    private static func kind(_ path: String) -> Kind {
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
