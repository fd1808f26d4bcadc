#include <srs_protocol_amf0.hpp>

#include <srs_core_utility.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_protocol_amf3.hpp>

#include <cmath>
#include <cstring>

namespace {

// The object-end sequence: an empty UTF-8 name followed by the 0x09 marker (AMF0 spec 2.11).
const int kObjectEndSize = 3;

srs_error_t write_marker(SrsBuffer* buf, uint8_t marker) {
    if (!buf->require(1)) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for marker 0x%02x", marker);
    }
    buf->write_1bytes((int8_t)marker);
    return srs_success;
}

srs_error_t write_double(SrsBuffer* buf, double v) {
    if (!buf->require(8)) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for number");
    }
    int64_t bits = 0;
    memcpy(&bits, &v, 8);
    buf->write_8bytes(bits);
    return srs_success;
}

double read_double(SrsBuffer* buf) {
    int64_t bits = buf->read_8bytes();
    double v = 0;
    memcpy(&v, &bits, 8);
    return v;
}

srs_error_t write_object_end(SrsBuffer* buf) {
    if (!buf->require(kObjectEndSize)) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for object end");
    }
    buf->write_2bytes(0);
    buf->write_1bytes(SrsAmf0MarkerObjectEnd);
    return srs_success;
}

void indent_to(std::string* out, int indent) {
    out->append((size_t)indent * 4, ' ');
}

std::string format_number(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
        return srs_fmt("%lld", (long long)v);
    }
    return srs_fmt("%.6g", v);
}

// Whether the next bytes are the object-end sequence; consumes them if so.
bool read_object_end(SrsBuffer* buf) {
    if (buf->require(kObjectEndSize)) {
        const char* p = buf->head();
        if (p[0] == 0 && p[1] == 0 && p[2] == SrsAmf0MarkerObjectEnd) {
            buf->skip(kObjectEndSize);
            return true;
        }
    }
    return false;
}

// Reads name/value pairs up to the object end (AMF0 spec 2.5). An ECMA array that stops
// at the end of the message without the end marker (some encoders) is accepted when lenient.
srs_error_t read_properties(SrsBuffer* buf, SrsAmf0PropertyBag* bag, int depth, bool lenient) {
    while (true) {
        if (read_object_end(buf)) {
            return srs_success;
        }
        if (lenient && buf->empty()) {
            return srs_success;
        }
        std::string name;
        srs_error_t err = srs_amf0_read_utf8(buf, &name);
        if (err != srs_success) {
            return srs_error_wrap(err, "property name");
        }
        std::unique_ptr<SrsAmf0Any> value;
        if ((err = srs_amf0_read_any(buf, &value, depth + 1)) != srs_success) {
            return srs_error_wrap(err, "property %s", name.c_str());
        }
        bag->append(name, std::move(value));
    }
}

}  // namespace

bool SrsAmf0Any::is_string() const {
    return marker_ == SrsAmf0MarkerString || marker_ == SrsAmf0MarkerLongString || marker_ == SrsAmf0MarkerXmlDocument;
}

std::string SrsAmf0Any::to_str() const {
    if (!is_string()) {
        return "";
    }
    return static_cast<const SrsAmf0String*>(this)->value;
}

bool SrsAmf0Any::to_boolean() const {
    if (!is_boolean()) {
        return false;
    }
    return static_cast<const SrsAmf0Boolean*>(this)->value;
}

double SrsAmf0Any::to_number() const {
    if (!is_number()) {
        return 0;
    }
    return static_cast<const SrsAmf0Number*>(this)->value;
}

double SrsAmf0Any::to_date() const {
    if (!is_date()) {
        return 0;
    }
    return static_cast<const SrsAmf0Date*>(this)->ms;
}

int16_t SrsAmf0Any::to_date_timezone() const {
    if (!is_date()) {
        return 0;
    }
    return static_cast<const SrsAmf0Date*>(this)->timezone;
}

uint16_t SrsAmf0Any::to_reference() const {
    if (!is_reference()) {
        return 0;
    }
    return static_cast<const SrsAmf0Reference*>(this)->index;
}

SrsAmf0Object* SrsAmf0Any::to_object() {
    return is_object() ? static_cast<SrsAmf0Object*>(this) : nullptr;
}

const SrsAmf0Object* SrsAmf0Any::to_object() const {
    return is_object() ? static_cast<const SrsAmf0Object*>(this) : nullptr;
}

SrsAmf0EcmaArray* SrsAmf0Any::to_ecma_array() {
    return is_ecma_array() ? static_cast<SrsAmf0EcmaArray*>(this) : nullptr;
}

const SrsAmf0EcmaArray* SrsAmf0Any::to_ecma_array() const {
    return is_ecma_array() ? static_cast<const SrsAmf0EcmaArray*>(this) : nullptr;
}

SrsAmf0StrictArray* SrsAmf0Any::to_strict_array() {
    return is_strict_array() ? static_cast<SrsAmf0StrictArray*>(this) : nullptr;
}

const SrsAmf0StrictArray* SrsAmf0Any::to_strict_array() const {
    return is_strict_array() ? static_cast<const SrsAmf0StrictArray*>(this) : nullptr;
}

SrsAmf0PropertyBag* SrsAmf0Any::to_properties() {
    return is_property_bag() ? static_cast<SrsAmf0PropertyBag*>(this) : nullptr;
}

const SrsAmf0PropertyBag* SrsAmf0Any::to_properties() const {
    return is_property_bag() ? static_cast<const SrsAmf0PropertyBag*>(this) : nullptr;
}

void SrsAmf0Any::set_number(double v) {
    if (is_number()) {
        static_cast<SrsAmf0Number*>(this)->value = v;
    }
}

void SrsAmf0Any::set_boolean(bool v) {
    if (is_boolean()) {
        static_cast<SrsAmf0Boolean*>(this)->value = v;
    }
}

void SrsAmf0Any::set_str(const std::string& v) {
    if (is_string()) {
        static_cast<SrsAmf0String*>(this)->value = v;
    }
}

std::string SrsAmf0Any::dump() const {
    std::string out;
    dump_to(&out, 0);
    return out;
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Any::str(const std::string& v) {
    return std::make_unique<SrsAmf0String>(SrsAmf0MarkerString, v);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Any::boolean(bool v) {
    return std::make_unique<SrsAmf0Boolean>(v);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Any::number(double v) {
    return std::make_unique<SrsAmf0Number>(v);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Any::null() {
    return std::make_unique<SrsAmf0Simple>(SrsAmf0MarkerNull);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Any::undefined() {
    return std::make_unique<SrsAmf0Simple>(SrsAmf0MarkerUndefined);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Any::date(double ms, int16_t timezone) {
    return std::make_unique<SrsAmf0Date>(ms, timezone);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Any::xml(const std::string& v) {
    return std::make_unique<SrsAmf0String>(SrsAmf0MarkerXmlDocument, v);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Any::reference(uint16_t index) {
    return std::make_unique<SrsAmf0Reference>(index);
}

std::unique_ptr<SrsAmf0Object> SrsAmf0Any::object() {
    return std::make_unique<SrsAmf0Object>();
}

std::unique_ptr<SrsAmf0Object> SrsAmf0Any::typed_object(const std::string& class_name) {
    return std::make_unique<SrsAmf0Object>(class_name);
}

std::unique_ptr<SrsAmf0EcmaArray> SrsAmf0Any::ecma_array() {
    return std::make_unique<SrsAmf0EcmaArray>();
}

std::unique_ptr<SrsAmf0StrictArray> SrsAmf0Any::strict_array() {
    return std::make_unique<SrsAmf0StrictArray>();
}

srs_error_t SrsAmf0Any::read_any(SrsBuffer* buf, std::unique_ptr<SrsAmf0Any>* out) {
    return srs_amf0_read_any(buf, out, 0);
}

srs_error_t srs_amf0_read_any(SrsBuffer* buf, std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    if (depth > SRS_AMF0_MAX_DEPTH) {
        return srs_error_new(ERROR_RTMP_AMF0_DEPTH, "nesting %d exceeds %d", depth, SRS_AMF0_MAX_DEPTH);
    }
    if (!buf->require(1)) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "no marker at %d", buf->pos());
    }
    uint8_t marker = (uint8_t)buf->read_1bytes();
    switch (marker) {
        case SrsAmf0MarkerNumber: {
            if (!buf->require(8)) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "number needs 8 bytes, left %d", buf->left());
            }
            *out = SrsAmf0Any::number(read_double(buf));
            return srs_success;
        }
        case SrsAmf0MarkerBoolean: {
            if (!buf->require(1)) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "boolean needs 1 byte");
            }
            *out = SrsAmf0Any::boolean(buf->read_1bytes() != 0);
            return srs_success;
        }
        case SrsAmf0MarkerString: {
            std::string v;
            if ((err = srs_amf0_read_utf8(buf, &v)) != srs_success) {
                return srs_error_wrap(err, "string");
            }
            *out = std::make_unique<SrsAmf0String>(SrsAmf0MarkerString, std::move(v));
            return srs_success;
        }
        case SrsAmf0MarkerLongString:
        case SrsAmf0MarkerXmlDocument: {
            if (!buf->require(4)) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "long string needs 4 bytes length");
            }
            uint32_t len = (uint32_t)buf->read_4bytes();
            if (len > (uint32_t)buf->left()) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "long string %u bytes, left %d", len, buf->left());
            }
            *out = std::make_unique<SrsAmf0String>(marker, buf->read_string((int)len));
            return srs_success;
        }
        case SrsAmf0MarkerNull:
        case SrsAmf0MarkerUndefined:
        case SrsAmf0MarkerUnsupported:
        case SrsAmf0MarkerObjectEnd:
            *out = std::make_unique<SrsAmf0Simple>(marker);
            return srs_success;
        case SrsAmf0MarkerReference: {
            if (!buf->require(2)) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "reference needs 2 bytes");
            }
            *out = SrsAmf0Any::reference((uint16_t)buf->read_2bytes());
            return srs_success;
        }
        case SrsAmf0MarkerDate: {
            if (!buf->require(10)) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "date needs 10 bytes, left %d", buf->left());
            }
            double ms = read_double(buf);
            int16_t tz = buf->read_2bytes();
            *out = SrsAmf0Any::date(ms, tz);
            return srs_success;
        }
        case SrsAmf0MarkerObject: {
            std::unique_ptr<SrsAmf0Object> obj = SrsAmf0Any::object();
            if ((err = read_properties(buf, obj.get(), depth, false)) != srs_success) {
                return srs_error_wrap(err, "object");
            }
            *out = std::move(obj);
            return srs_success;
        }
        case SrsAmf0MarkerTypedObject: {
            std::string class_name;
            if ((err = srs_amf0_read_utf8(buf, &class_name)) != srs_success) {
                return srs_error_wrap(err, "typed object class name");
            }
            std::unique_ptr<SrsAmf0Object> obj = SrsAmf0Any::typed_object(class_name);
            if ((err = read_properties(buf, obj.get(), depth, false)) != srs_success) {
                return srs_error_wrap(err, "typed object %s", class_name.c_str());
            }
            *out = std::move(obj);
            return srs_success;
        }
        case SrsAmf0MarkerEcmaArray: {
            if (!buf->require(4)) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "ecma array needs 4 bytes count");
            }
            // The associative count is a hint only; the object end terminates the array.
            buf->skip(4);
            std::unique_ptr<SrsAmf0EcmaArray> arr = SrsAmf0Any::ecma_array();
            if ((err = read_properties(buf, arr.get(), depth, true)) != srs_success) {
                return srs_error_wrap(err, "ecma array");
            }
            *out = std::move(arr);
            return srs_success;
        }
        case SrsAmf0MarkerStrictArray: {
            if (!buf->require(4)) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "strict array needs 4 bytes count");
            }
            uint32_t count = (uint32_t)buf->read_4bytes();
            // Every value takes at least its marker byte, so a count beyond the bytes left is a lie.
            if (count > (uint32_t)buf->left()) {
                return srs_error_new(ERROR_RTMP_AMF0_DECODE, "strict array count %u, left %d", count, buf->left());
            }
            std::unique_ptr<SrsAmf0StrictArray> arr = SrsAmf0Any::strict_array();
            for (uint32_t i = 0; i < count; i++) {
                std::unique_ptr<SrsAmf0Any> v;
                if ((err = srs_amf0_read_any(buf, &v, depth + 1)) != srs_success) {
                    return srs_error_wrap(err, "strict array item %u", i);
                }
                arr->append(std::move(v));
            }
            *out = std::move(arr);
            return srs_success;
        }
        case SrsAmf0MarkerAvmPlusObject:
            if ((err = srs_amf3_read_any(buf, out, depth + 1)) != srs_success) {
                return srs_error_wrap(err, "avmplus object");
            }
            return srs_success;
        default:
            // MovieClip and RecordSet are reserved; anything above 0x11 is not AMF0.
            return srs_error_new(ERROR_RTMP_AMF0_INVALID, "invalid marker 0x%02x at %d", marker, buf->pos() - 1);
    }
}

srs_error_t srs_amf0_read_utf8(SrsBuffer* buf, std::string* out) {
    if (!buf->require(2)) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "utf8 needs 2 bytes length, left %d", buf->left());
    }
    int len = (uint16_t)buf->read_2bytes();
    if (!buf->require(len)) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "utf8 of %d bytes, left %d", len, buf->left());
    }
    *out = buf->read_string(len);
    return srs_success;
}

srs_error_t srs_amf0_write_utf8(SrsBuffer* buf, const std::string& v) {
    if (v.size() > 0xFFFF) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "utf8 of %d bytes is too long", (int)v.size());
    }
    if (!buf->require(2 + (int)v.size())) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for utf8 of %d bytes", (int)v.size());
    }
    buf->write_2bytes((int16_t)v.size());
    buf->write_string(v);
    return srs_success;
}

srs_error_t srs_amf0_read_string(SrsBuffer* buf, std::string* out) {
    srs_error_t err = srs_success;
    std::unique_ptr<SrsAmf0Any> v;
    if ((err = srs_amf0_read_any(buf, &v, 0)) != srs_success) {
        return srs_error_wrap(err, "read string");
    }
    if (!v->is_string()) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "expect string, got marker 0x%02x", v->marker());
    }
    *out = v->to_str();
    return srs_success;
}

srs_error_t srs_amf0_read_number(SrsBuffer* buf, double* out) {
    if (!buf->require(1) || (uint8_t)buf->head()[0] != SrsAmf0MarkerNumber) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "expect number marker");
    }
    if (!buf->require(9)) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "number needs 9 bytes, left %d", buf->left());
    }
    buf->skip(1);
    *out = read_double(buf);
    return srs_success;
}

srs_error_t srs_amf0_read_boolean(SrsBuffer* buf, bool* out) {
    if (!buf->require(2) || (uint8_t)buf->head()[0] != SrsAmf0MarkerBoolean) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "expect boolean");
    }
    buf->skip(1);
    *out = buf->read_1bytes() != 0;
    return srs_success;
}

srs_error_t srs_amf0_read_null(SrsBuffer* buf) {
    if (!buf->require(1) || (uint8_t)buf->head()[0] != SrsAmf0MarkerNull) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "expect null");
    }
    buf->skip(1);
    return srs_success;
}

srs_error_t srs_amf0_read_object(SrsBuffer* buf, std::unique_ptr<SrsAmf0Object>* out) {
    srs_error_t err = srs_success;
    std::unique_ptr<SrsAmf0Any> v;
    if ((err = srs_amf0_read_any(buf, &v, 0)) != srs_success) {
        return srs_error_wrap(err, "read object");
    }
    if (!v->is_object()) {
        return srs_error_new(ERROR_RTMP_AMF0_DECODE, "expect object, got marker 0x%02x", v->marker());
    }
    out->reset(static_cast<SrsAmf0Object*>(v.release()));
    return srs_success;
}

srs_error_t srs_amf0_encode(const std::vector<const SrsAmf0Any*>& values, std::string* out) {
    srs_error_t err = srs_success;
    int size = 0;
    for (const SrsAmf0Any* v : values) {
        size += v->total_size();
    }
    std::string bytes(size, '\0');
    SrsBuffer buf(bytes.empty() ? nullptr : &bytes[0], size);
    for (const SrsAmf0Any* v : values) {
        if ((err = v->write(&buf)) != srs_success) {
            return srs_error_wrap(err, "encode");
        }
    }
    *out = std::move(bytes);
    return srs_success;
}

srs_error_t SrsAmf0Number::write(SrsBuffer* buf) const {
    srs_error_t err = write_marker(buf, marker_);
    if (err != srs_success) {
        return err;
    }
    return write_double(buf, value);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Number::copy() const {
    return std::make_unique<SrsAmf0Number>(value);
}

void SrsAmf0Number::dump_to(std::string* out, int) const {
    out->append("Number ").append(format_number(value));
}

srs_error_t SrsAmf0Boolean::write(SrsBuffer* buf) const {
    if (!buf->require(2)) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for boolean");
    }
    buf->write_1bytes(SrsAmf0MarkerBoolean);
    buf->write_1bytes(value ? 1 : 0);
    return srs_success;
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Boolean::copy() const {
    return std::make_unique<SrsAmf0Boolean>(value);
}

void SrsAmf0Boolean::dump_to(std::string* out, int) const {
    out->append("Boolean ").append(value ? "true" : "false");
}

int SrsAmf0String::total_size() const {
    if (marker_ == SrsAmf0MarkerString && value.size() <= 0xFFFF) {
        return 1 + 2 + (int)value.size();
    }
    return 1 + 4 + (int)value.size();
}

srs_error_t SrsAmf0String::write(SrsBuffer* buf) const {
    if (!buf->require(total_size())) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for string of %d bytes", (int)value.size());
    }
    if (marker_ == SrsAmf0MarkerString && value.size() <= 0xFFFF) {
        buf->write_1bytes(SrsAmf0MarkerString);
        buf->write_2bytes((int16_t)value.size());
    } else {
        buf->write_1bytes(marker_ == SrsAmf0MarkerXmlDocument ? SrsAmf0MarkerXmlDocument : SrsAmf0MarkerLongString);
        buf->write_4bytes((int32_t)value.size());
    }
    buf->write_string(value);
    return srs_success;
}

std::unique_ptr<SrsAmf0Any> SrsAmf0String::copy() const {
    return std::make_unique<SrsAmf0String>(marker_, value);
}

void SrsAmf0String::dump_to(std::string* out, int) const {
    out->append(marker_ == SrsAmf0MarkerXmlDocument ? "Xml " : "String ");
    // Printable ASCII as is; other bytes escaped, so a log line stays one line.
    size_t n = value.size() > 256 ? 256 : value.size();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c >= 0x20 && c < 0x7f) {
            out->push_back((char)c);
        } else {
            out->append(srs_fmt("\\x%02x", c));
        }
    }
    if (n < value.size()) {
        out->append(srs_fmt("...(%d bytes)", (int)value.size()));
    }
}

srs_error_t SrsAmf0Simple::write(SrsBuffer* buf) const {
    return write_marker(buf, marker_);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Simple::copy() const {
    return std::make_unique<SrsAmf0Simple>(marker_);
}

void SrsAmf0Simple::dump_to(std::string* out, int) const {
    switch (marker_) {
        case SrsAmf0MarkerNull:
            out->append("Null");
            break;
        case SrsAmf0MarkerUndefined:
            out->append("Undefined");
            break;
        case SrsAmf0MarkerObjectEnd:
            out->append("ObjectEnd");
            break;
        default:
            out->append("Unsupported");
            break;
    }
}

srs_error_t SrsAmf0Reference::write(SrsBuffer* buf) const {
    if (!buf->require(3)) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for reference");
    }
    buf->write_1bytes(SrsAmf0MarkerReference);
    buf->write_2bytes((int16_t)index);
    return srs_success;
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Reference::copy() const {
    return std::make_unique<SrsAmf0Reference>(index);
}

void SrsAmf0Reference::dump_to(std::string* out, int) const {
    out->append(srs_fmt("Reference %d", index));
}

srs_error_t SrsAmf0Date::write(SrsBuffer* buf) const {
    if (!buf->require(total_size())) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for date");
    }
    buf->write_1bytes(SrsAmf0MarkerDate);
    srs_error_t err = write_double(buf, ms);
    if (err != srs_success) {
        return err;
    }
    buf->write_2bytes(timezone);
    return srs_success;
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Date::copy() const {
    return std::make_unique<SrsAmf0Date>(ms, timezone);
}

void SrsAmf0Date::dump_to(std::string* out, int) const {
    out->append("Date ").append(format_number(ms));
    if (timezone) {
        out->append(srs_fmt(" tz=%d", timezone));
    }
}

void SrsAmf0PropertyBag::set(const std::string& key, std::unique_ptr<SrsAmf0Any> value) {
    for (auto it = props_.begin(); it != props_.end(); ++it) {
        if (it->first == key) {
            it->second = std::move(value);
            return;
        }
    }
    props_.emplace_back(key, std::move(value));
}

void SrsAmf0PropertyBag::append(const std::string& key, std::unique_ptr<SrsAmf0Any> value) {
    props_.emplace_back(key, std::move(value));
}

SrsAmf0Any* SrsAmf0PropertyBag::get_property(const std::string& key) const {
    for (auto it = props_.rbegin(); it != props_.rend(); ++it) {
        if (it->first == key) {
            return it->second.get();
        }
    }
    return nullptr;
}

SrsAmf0Any* SrsAmf0PropertyBag::ensure_property_string(const std::string& key) const {
    SrsAmf0Any* v = get_property(key);
    return (v && v->is_string()) ? v : nullptr;
}

SrsAmf0Any* SrsAmf0PropertyBag::ensure_property_number(const std::string& key) const {
    SrsAmf0Any* v = get_property(key);
    return (v && v->is_number()) ? v : nullptr;
}

std::string SrsAmf0PropertyBag::get_string(const std::string& key, const std::string& fallback) const {
    SrsAmf0Any* v = ensure_property_string(key);
    return v ? v->to_str() : fallback;
}

double SrsAmf0PropertyBag::get_number(const std::string& key, double fallback) const {
    SrsAmf0Any* v = ensure_property_number(key);
    return v ? v->to_number() : fallback;
}

bool SrsAmf0PropertyBag::remove(const std::string& key) {
    size_t before = props_.size();
    for (auto it = props_.begin(); it != props_.end();) {
        if (it->first == key) {
            it = props_.erase(it);
        } else {
            ++it;
        }
    }
    return props_.size() != before;
}

void SrsAmf0PropertyBag::copy_properties_from(const SrsAmf0PropertyBag& from) {
    for (const auto& p : from.props_) {
        props_.emplace_back(p.first, p.second->copy());
    }
}

int SrsAmf0PropertyBag::properties_size() const {
    int size = 0;
    for (const auto& p : props_) {
        size += 2 + (int)p.first.size() + p.second->total_size();
    }
    return size + kObjectEndSize;
}

srs_error_t SrsAmf0PropertyBag::write_properties(SrsBuffer* buf) const {
    srs_error_t err = srs_success;
    for (const auto& p : props_) {
        if ((err = srs_amf0_write_utf8(buf, p.first)) != srs_success) {
            return srs_error_wrap(err, "property name");
        }
        if ((err = p.second->write(buf)) != srs_success) {
            return srs_error_wrap(err, "property %s", p.first.c_str());
        }
    }
    return write_object_end(buf);
}

void SrsAmf0PropertyBag::dump_properties(std::string* out, int indent) const {
    for (const auto& p : props_) {
        out->push_back('\n');
        indent_to(out, indent + 1);
        out->append(p.first).append(": ");
        p.second->dump_to(out, indent + 1);
    }
}

SrsAmf0Object::SrsAmf0Object(const std::string& class_name)
    : SrsAmf0PropertyBag(class_name.empty() ? SrsAmf0MarkerObject : SrsAmf0MarkerTypedObject),
      class_name_(class_name) {}

int SrsAmf0Object::total_size() const {
    int size = 1 + properties_size();
    if (marker_ == SrsAmf0MarkerTypedObject) {
        size += 2 + (int)class_name_.size();
    }
    return size;
}

srs_error_t SrsAmf0Object::write(SrsBuffer* buf) const {
    srs_error_t err = write_marker(buf, marker_);
    if (err != srs_success) {
        return err;
    }
    if (marker_ == SrsAmf0MarkerTypedObject && (err = srs_amf0_write_utf8(buf, class_name_)) != srs_success) {
        return srs_error_wrap(err, "class name");
    }
    return write_properties(buf);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0Object::copy() const {
    return copy_object();
}

std::unique_ptr<SrsAmf0Object> SrsAmf0Object::copy_object() const {
    auto obj = std::make_unique<SrsAmf0Object>(class_name_);
    obj->copy_properties_from(*this);
    return obj;
}

void SrsAmf0Object::dump_to(std::string* out, int indent) const {
    if (marker_ == SrsAmf0MarkerTypedObject) {
        out->append(srs_fmt("TypedObject %s (%d items)", class_name_.c_str(), count()));
    } else {
        out->append(srs_fmt("Object (%d items)", count()));
    }
    dump_properties(out, indent);
}

int SrsAmf0EcmaArray::total_size() const {
    return 1 + 4 + properties_size();
}

srs_error_t SrsAmf0EcmaArray::write(SrsBuffer* buf) const {
    if (!buf->require(5)) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for ecma array");
    }
    buf->write_1bytes(SrsAmf0MarkerEcmaArray);
    buf->write_4bytes(count());
    return write_properties(buf);
}

std::unique_ptr<SrsAmf0Any> SrsAmf0EcmaArray::copy() const {
    return copy_array();
}

std::unique_ptr<SrsAmf0EcmaArray> SrsAmf0EcmaArray::copy_array() const {
    auto arr = std::make_unique<SrsAmf0EcmaArray>();
    arr->copy_properties_from(*this);
    return arr;
}

void SrsAmf0EcmaArray::dump_to(std::string* out, int indent) const {
    out->append(srs_fmt("EcmaArray (%d items)", count()));
    dump_properties(out, indent);
}

int SrsAmf0StrictArray::total_size() const {
    int size = 1 + 4;
    for (const auto& v : items_) {
        size += v->total_size();
    }
    return size;
}

srs_error_t SrsAmf0StrictArray::write(SrsBuffer* buf) const {
    srs_error_t err = srs_success;
    if (!buf->require(5)) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for strict array");
    }
    buf->write_1bytes(SrsAmf0MarkerStrictArray);
    buf->write_4bytes(count());
    for (const auto& v : items_) {
        if ((err = v->write(buf)) != srs_success) {
            return srs_error_wrap(err, "strict array item");
        }
    }
    return srs_success;
}

std::unique_ptr<SrsAmf0Any> SrsAmf0StrictArray::copy() const {
    auto arr = std::make_unique<SrsAmf0StrictArray>();
    for (const auto& v : items_) {
        arr->append(v->copy());
    }
    return arr;
}

void SrsAmf0StrictArray::dump_to(std::string* out, int indent) const {
    out->append(srs_fmt("StrictArray (%d items)", count()));
    for (int i = 0; i < count(); i++) {
        out->push_back('\n');
        indent_to(out, indent + 1);
        out->append(srs_fmt("%d: ", i));
        items_[i]->dump_to(out, indent + 1);
    }
}
