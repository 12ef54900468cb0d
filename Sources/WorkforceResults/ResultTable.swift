import WorkforceFormats

/// A result CSV as the report reads it: the header's names and each row's field texts, parsed by
/// WorkforceData's RFC 4180 reader (quoted fields, `\r\n`, blank lines skipped).
package struct ResultTable: Sendable {
    /// The file name, for messages.
    package var file: String
    package var header: [String]
    package var rows: [[String]]

    /// Parses `text`; an empty file, an unclosed quote or a row whose field count differs from
    /// the header's is an error.
    package init(_ text: String, file: String) throws(InputError) {
        self.file = file
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text, file: file)
        } catch {
            throw InputError(file: file, error.messages)
        }
        header = table.header.map(\.text)
        rows = table.rows.map { $0.map(\.text) }
    }

    /// The index of a column, or an error naming the file and the columns it has.
    package func column(_ name: String) throws(InputError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw InputError(file: file, "no column '\(name)'; the header is \(header.joined(separator: ","))")
        }
        return index
    }
}
