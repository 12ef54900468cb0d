import Foundation

/// A CSV file as read (RFC 4180: fields may be quoted, and a quoted field may hold commas,
/// doubled quotes and line breaks), every field with the line and column it starts at, so that
/// problems can be reported where they are.
public struct CSVTable: Sendable {
    /// One field's text (unquoted, not trimmed) and where it starts (1-based).
    public struct Field: Sendable {
        public var text: String
        public var line: Int
        public var column: Int

        /// The text without surrounding white space.
        public var trimmed: String { text.trimmingCharacters(in: .whitespaces) }
    }

    /// The file's name as given, for messages.
    public var file: String
    public var header: [Field]
    /// The rows after the header; blank lines are left out.
    public var rows: [[Field]]

    /// Parses `text` (a UTF-8 byte-order mark and `\r\n` line ends are accepted). An unclosed
    /// quote, an empty file and rows whose field count differs from the header's are reported.
    public init(parsing text: String, file: String) throws(InputError) {
        self = try CSVTable(keepingRaggedRows: text, file: file)
        guard raggedRows.isEmpty else { throw InputError(raggedRows) }
    }

    /// One diagnostic for each row whose field count differs from the header's (kept in `rows`
    /// only when parsed by `init(keepingRaggedRows:file:)`).
    public var raggedRows: [Diagnostic] {
        rows.filter { $0.count != header.count }.map { row in
            Diagnostic(
                file: file, line: row[0].line, column: 1,
                message: "found \(row.count) fields; expected \(header.count), as in the header")
        }
    }

    /// Parses `text` as `init(parsing:file:)` does, but keeps rows whose field count differs
    /// from the header's (see `raggedRows`), so that a reader can report them beside the
    /// problems of the other rows. An unclosed quote and an empty file are still errors.
    public init(keepingRaggedRows text: String, file: String) throws(InputError) {
        self.file = file
        var records: [[Field]] = []
        var record: [Field] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var line = 1, column = 1
        var fieldLine = 1, fieldColumn = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func endField() {
            record.append(Field(text: field, line: fieldLine, column: fieldColumn))
            field = ""
            wasQuoted = false
        }
        while i < scalars.count {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                        column += 1
                    } else {
                        quoted = false
                    }
                } else if c == "\n" {
                    field.unicodeScalars.append(c)
                    line += 1
                    column = 0
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && !wasQuoted && field.allSatisfy({ $0 == " " || $0 == "\t" }) {
                quoted = true
                wasQuoted = true
                field = ""
            } else if c == "," {
                endField()
                fieldLine = line
                fieldColumn = column + 1
            } else if c == "\n" || c == "\r" {
                if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                endField()
                if !(record.count == 1 && record[0].text.trimmingCharacters(in: .whitespaces).isEmpty) { records.append(record) }
                record = []
                line += 1
                column = 0
                fieldLine = line
                fieldColumn = 1
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
            column += 1
        }
        if quoted {
            throw InputError([Diagnostic(
                file: file, line: fieldLine, column: fieldColumn,
                message: "a quoted field is not closed; expected a closing \" before the end of the file")])
        }
        if !field.isEmpty || !record.isEmpty {
            endField()
            if !(record.count == 1 && record[0].text.trimmingCharacters(in: .whitespaces).isEmpty) { records.append(record) }
        }
        guard let header = records.first else {
            throw InputError(file: file, "the file is empty; expected a CSV header line")
        }
        self.header = header
        rows = Array(records.dropFirst())
    }

    /// The index of the first header column whose name, compared without case and with runs of
    /// white space as one space, is one of `names`, or starts with one of `prefixes`.
    public func column(_ names: [String], prefixes: [String] = []) -> Int? {
        header.firstIndex { field in
            let name = Self.normalized(field.text)
            return names.contains { Self.normalized($0) == name } || prefixes.contains { name.hasPrefix(Self.normalized($0)) }
        }
    }

    /// A diagnostic at a field, naming the column it is in.
    public func problem(_ field: Field, column: Int, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: field.line, column: field.column, path: header[column].trimmed, message: message)
    }

    /// Lower case, trimmed, runs of white space as one space: how labels are compared.
    public static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }
}

/// The one CSV writer (RFC 4180, the form `CSVTable` reads back): every field of the header and
/// the rows quoted when it needs to be, lines ended by `\n`.
public enum CSVWriter {
    /// A field, quoted when it holds a comma, a quote or a line break (quotes doubled inside).
    public static func field(_ s: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// A header line and one line per row.
    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        var out = header.map(field).joined(separator: ",") + "\n"
        for row in rows { out += row.map(field).joined(separator: ",") + "\n" }
        return out
    }

    /// A number with `decimals` fixed decimals; `NA` (as R and pandas read it) when undefined.
    /// Negative zero is written `0`.
    public static func number(_ x: Double, _ decimals: Int) -> String {
        x.isNaN ? "NA" : String(format: "%.\(decimals)f", x == 0 ? 0 : x)
    }
}
