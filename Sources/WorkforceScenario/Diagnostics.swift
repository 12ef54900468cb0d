import WorkforceFormats

extension InputError {
    /// The diagnostics in reading order: those in `file` first, then those in other files
    /// (in order of first appearance), then those in the overrides labelled `overrides`, in that
    /// order; within a file by line and column.
    init(sorting diagnostics: [Diagnostic], mainFile file: String, overrides: [String]) {
        var fileOrder: [String: Int] = [file: 0]
        for (i, label) in overrides.enumerated() where fileOrder[label] == nil {
            fileOrder[label] = diagnostics.count + 1 + i
        }
        for diagnostic in diagnostics where fileOrder[diagnostic.file] == nil {
            fileOrder[diagnostic.file] = fileOrder.count
        }
        let sorted = diagnostics.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            let keyX = (fileOrder[x.file] ?? 0, x.line, x.column, a.offset)
            let keyY = (fileOrder[y.file] ?? 0, y.line, y.column, b.offset)
            return keyX < keyY
        }
        self.init(sorted.map(\.element))
    }
}
