/// A small, tolerant XML reader for STS's Query-protocol responses.
///
/// It builds an element tree from the prolog-free subset STS uses: elements, attributes
/// (skipped), namespace prefixes (dropped from names), text, the five predefined entities
/// and numeric character references, comments, CDATA sections, processing instructions and
/// a DOCTYPE (skipped). Foundation's `XMLParser` is not used because on Linux it lives in
/// `FoundationXML`, which links libxml2 into the tool for this one purpose.
///
/// It holds secrets while a response is read; its description shows only element names.
struct STSXMLElement: Equatable, CustomStringConvertible, CustomReflectable {
    /// The local name, without a namespace prefix.
    var name: String
    var children: [STSXMLElement]
    /// The element's own text (not its children's), entities decoded.
    var text: String

    /// The first child called `name`, searched depth-first through `path`.
    func child(_ path: String...) -> STSXMLElement? {
        var current: STSXMLElement? = self
        for name in path {
            current = current?.children.first { $0.name == name }
        }
        return current
    }

    /// The first element called `name` anywhere below this one (depth-first), or `nil`.
    func descendant(_ name: String) -> STSXMLElement? {
        for child in children {
            if child.name == name { return child }
            if let found = child.descendant(name) { return found }
        }
        return nil
    }

    /// The text of the first descendant called `name`, trimmed, or `nil` when absent or empty.
    func text(of name: String) -> String? {
        guard let element = descendant(name) else { return nil }
        let text = element.text.trimmingASCIIWhitespace()
        return text.isEmpty ? nil : text
    }

    var description: String {
        children.isEmpty ? "<\(name)/>" : "<\(name)>\(children.map(\.description).joined())</\(name)>"
    }

    var customMirror: Mirror {
        Mirror(self, children: ["element": description], displayStyle: .struct)
    }

    /// Parses a document and returns its root element.
    ///
    /// - Parameter bytes: the UTF-8 document.
    /// - Returns: the root, or `nil` when the bytes are not well-formed enough to find one.
    static func parse(_ bytes: [UInt8]) -> STSXMLElement? {
        var reader = Reader(bytes: bytes)
        return reader.document()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func document() -> STSXMLElement? {
            var stack: [STSXMLElement] = []
            var root: STSXMLElement?
            while index < bytes.count {
                if bytes[index] != UInt8(ascii: "<") {
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                    if !stack.isEmpty {
                        stack[stack.count - 1].text += Self.decodeEntities(bytes[start..<index])
                    }
                    continue
                }
                if starts(with: "<!--") {
                    guard skip(past: "-->") else { return nil }
                } else if starts(with: "<![CDATA[") {
                    let start = index + 9
                    guard skip(past: "]]>") else { return nil }
                    if !stack.isEmpty {
                        stack[stack.count - 1].text += String(decoding: bytes[start..<(index - 3)], as: UTF8.self)
                    }
                } else if starts(with: "<?") {
                    guard skip(past: "?>") else { return nil }
                } else if starts(with: "<!") {
                    guard skip(past: ">") else { return nil }
                } else if starts(with: "</") {
                    index += 2
                    let name = readName()
                    guard skip(past: ">"), let element = stack.popLast(), element.name == name else { return nil }
                    if stack.isEmpty {
                        if root == nil { root = element }
                    } else {
                        stack[stack.count - 1].children.append(element)
                    }
                } else {
                    index += 1
                    let name = readName()
                    guard !name.isEmpty, let selfClosing = skipAttributes() else { return nil }
                    let element = STSXMLElement(name: name, children: [], text: "")
                    if selfClosing {
                        if stack.isEmpty {
                            if root == nil { root = element }
                        } else {
                            stack[stack.count - 1].children.append(element)
                        }
                    } else {
                        stack.append(element)
                    }
                }
            }
            return stack.isEmpty ? root : nil
        }

        private func starts(with prefix: String) -> Bool {
            let utf8 = Array(prefix.utf8)
            guard index + utf8.count <= bytes.count else { return false }
            return Array(bytes[index..<(index + utf8.count)]) == utf8
        }

        /// Moves past the next occurrence of `terminator`; `false` when there is none.
        private mutating func skip(past terminator: String) -> Bool {
            while index < bytes.count {
                if starts(with: terminator) {
                    index += terminator.utf8.count
                    return true
                }
                index += 1
            }
            return false
        }

        /// A tag name, without any `prefix:`.
        private mutating func readName() -> String {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: " ")
                    || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                {
                    break
                }
                index += 1
            }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            if let colon = name.lastIndex(of: ":") {
                return String(name[name.index(after: colon)...])
            }
            return name
        }

        /// Skips attributes up to the end of a start tag; whether it was `/>`, or `nil` at
        /// the end of input.
        private mutating func skipAttributes() -> Bool? {
            var quote: UInt8?
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    return index >= 2 && bytes[index - 2] == UInt8(ascii: "/")
                }
            }
            return nil
        }

        /// Text with `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` and `&#N;` / `&#xN;` decoded;
        /// an unknown or malformed reference is kept as written.
        static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
            let text = String(decoding: slice, as: UTF8.self)
            guard text.contains("&") else { return text }
            var output = ""
            var rest = Substring(text)
            while let amp = rest.firstIndex(of: "&") {
                output += rest[..<amp]
                let afterAmp = rest[rest.index(after: amp)...]
                guard let semicolon = afterAmp.firstIndex(of: ";"), afterAmp.distance(from: afterAmp.startIndex, to: semicolon) <= 10
                else {
                    output += "&"
                    rest = afterAmp
                    continue
                }
                let entity = afterAmp[..<semicolon]
                if let decoded = decode(entity) {
                    output += decoded
                } else {
                    output += "&" + entity + ";"
                }
                rest = afterAmp[afterAmp.index(after: semicolon)...]
            }
            return output + rest
        }

        private static func decode(_ entity: Substring) -> String? {
            switch entity {
            case "lt": return "<"
            case "gt": return ">"
            case "amp": return "&"
            case "quot": return "\""
            case "apos": return "'"
            default:
                guard entity.hasPrefix("#") else { return nil }
                let digits = entity.dropFirst()
                let value: UInt32?
                if digits.hasPrefix("x") || digits.hasPrefix("X") {
                    value = UInt32(digits.dropFirst(), radix: 16)
                } else {
                    value = UInt32(digits, radix: 10)
                }
                return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            }
        }
    }
}
