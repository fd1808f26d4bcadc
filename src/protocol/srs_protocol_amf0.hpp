// AMF0 values (Action Message Format 0, Adobe AMF0 spec): the encoding of RTMP command and
// data messages. Values form a tree owned by unique pointers; decoding is bounds checked
// and depth limited, so any input either decodes or fails with an error.
#pragma once

#include <srs_core_error.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

class SrsBuffer;
class SrsAmf0Object;
class SrsAmf0EcmaArray;
class SrsAmf0StrictArray;
class SrsAmf0PropertyBag;

// Type markers (AMF0 spec 2.1).
enum SrsAmf0Marker : uint8_t {
    SrsAmf0MarkerNumber = 0x00,
    SrsAmf0MarkerBoolean = 0x01,
    SrsAmf0MarkerString = 0x02,
    SrsAmf0MarkerObject = 0x03,
    SrsAmf0MarkerMovieClip = 0x04,
    SrsAmf0MarkerNull = 0x05,
    SrsAmf0MarkerUndefined = 0x06,
    SrsAmf0MarkerReference = 0x07,
    SrsAmf0MarkerEcmaArray = 0x08,
    SrsAmf0MarkerObjectEnd = 0x09,
    SrsAmf0MarkerStrictArray = 0x0A,
    SrsAmf0MarkerDate = 0x0B,
    SrsAmf0MarkerLongString = 0x0C,
    SrsAmf0MarkerUnsupported = 0x0D,
    SrsAmf0MarkerRecordSet = 0x0E,
    SrsAmf0MarkerXmlDocument = 0x0F,
    SrsAmf0MarkerTypedObject = 0x10,
    // Switches the rest of the value to AMF3 (AMF0 spec 3.1).
    SrsAmf0MarkerAvmPlusObject = 0x11,
};

// The deepest nesting of objects/arrays accepted when decoding. Real commands and metadata
// nest two or three levels; the limit keeps recursion within a 64 KiB coroutine stack.
#define SRS_AMF0_MAX_DEPTH 32

// Any AMF0 value. The marker says which subclass it is; the to_xxx() accessors return a
// neutral default (empty, 0, false, null pointer) when the value is of another type.
class SrsAmf0Any {
public:
    explicit SrsAmf0Any(uint8_t marker) : marker_(marker) {}
    virtual ~SrsAmf0Any() = default;
    SRS_DISALLOW_COPY(SrsAmf0Any);

public:
    uint8_t marker() const { return marker_; }
    // String, long string (and XML document, which is text too).
    bool is_string() const;
    bool is_boolean() const { return marker_ == SrsAmf0MarkerBoolean; }
    bool is_number() const { return marker_ == SrsAmf0MarkerNumber; }
    bool is_null() const { return marker_ == SrsAmf0MarkerNull; }
    bool is_undefined() const { return marker_ == SrsAmf0MarkerUndefined; }
    // An anonymous or a typed object.
    bool is_object() const { return marker_ == SrsAmf0MarkerObject || marker_ == SrsAmf0MarkerTypedObject; }
    bool is_ecma_array() const { return marker_ == SrsAmf0MarkerEcmaArray; }
    bool is_strict_array() const { return marker_ == SrsAmf0MarkerStrictArray; }
    bool is_date() const { return marker_ == SrsAmf0MarkerDate; }
    bool is_reference() const { return marker_ == SrsAmf0MarkerReference; }
    bool is_xml() const { return marker_ == SrsAmf0MarkerXmlDocument; }
    bool is_object_end() const { return marker_ == SrsAmf0MarkerObjectEnd; }
    // Object or ECMA array: a bag of named properties.
    bool is_property_bag() const { return is_object() || is_ecma_array(); }

    std::string to_str() const;
    bool to_boolean() const;
    double to_number() const;
    // A date's milliseconds since the epoch and its timezone (minutes; the spec says 0).
    double to_date() const;
    int16_t to_date_timezone() const;
    // A reference's index into the table of complex objects (AMF0 spec 2.9).
    uint16_t to_reference() const;
    SrsAmf0Object* to_object();
    const SrsAmf0Object* to_object() const;
    SrsAmf0EcmaArray* to_ecma_array();
    const SrsAmf0EcmaArray* to_ecma_array() const;
    SrsAmf0StrictArray* to_strict_array();
    const SrsAmf0StrictArray* to_strict_array() const;
    // The properties of an object or an ECMA array.
    SrsAmf0PropertyBag* to_properties();
    const SrsAmf0PropertyBag* to_properties() const;

    // Changes a scalar in place; ignored for values of another type.
    void set_number(double v);
    void set_boolean(bool v);
    void set_str(const std::string& v);

public:
    // The number of bytes write() produces.
    virtual int total_size() const = 0;
    // Encodes the value, marker included.
    virtual srs_error_t write(SrsBuffer* buf) const = 0;
    // A deep copy.
    virtual std::unique_ptr<SrsAmf0Any> copy() const = 0;
    // A human-readable, indented dump for logs.
    std::string dump() const;
    virtual void dump_to(std::string* out, int indent) const = 0;

public:
    static std::unique_ptr<SrsAmf0Any> str(const std::string& v = "");
    static std::unique_ptr<SrsAmf0Any> boolean(bool v = false);
    static std::unique_ptr<SrsAmf0Any> number(double v = 0);
    static std::unique_ptr<SrsAmf0Any> null();
    static std::unique_ptr<SrsAmf0Any> undefined();
    static std::unique_ptr<SrsAmf0Any> date(double ms = 0, int16_t timezone = 0);
    static std::unique_ptr<SrsAmf0Any> xml(const std::string& v = "");
    static std::unique_ptr<SrsAmf0Any> reference(uint16_t index);
    static std::unique_ptr<SrsAmf0Object> object();
    static std::unique_ptr<SrsAmf0Object> typed_object(const std::string& class_name);
    static std::unique_ptr<SrsAmf0EcmaArray> ecma_array();
    static std::unique_ptr<SrsAmf0StrictArray> strict_array();

    // Decodes one value of any type from the buffer (the discovery of SRS).
    static srs_error_t read_any(SrsBuffer* buf, std::unique_ptr<SrsAmf0Any>* out);

protected:
    uint8_t marker_;
};

// Decodes one value; depth is the nesting level of the caller (0 at top level). Exposed for
// the AMF3 decoder, which maps its values onto AMF0 ones.
srs_error_t srs_amf0_read_any(SrsBuffer* buf, std::unique_ptr<SrsAmf0Any>* out, int depth);

// Number (AMF0 spec 2.2): an IEEE-754 double.
class SrsAmf0Number : public SrsAmf0Any {
public:
    explicit SrsAmf0Number(double v) : SrsAmf0Any(SrsAmf0MarkerNumber), value(v) {}
    int total_size() const override { return 1 + 8; }
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    void dump_to(std::string* out, int indent) const override;
    double value;
};

// Boolean (AMF0 spec 2.3).
class SrsAmf0Boolean : public SrsAmf0Any {
public:
    explicit SrsAmf0Boolean(bool v) : SrsAmf0Any(SrsAmf0MarkerBoolean), value(v) {}
    int total_size() const override { return 1 + 1; }
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    void dump_to(std::string* out, int indent) const override;
    bool value;
};

// String, long string and XML document (AMF0 spec 2.4, 2.14, 2.17). A string longer than
// 65535 bytes is written as a long string.
class SrsAmf0String : public SrsAmf0Any {
public:
    SrsAmf0String(uint8_t marker, std::string v) : SrsAmf0Any(marker), value(std::move(v)) {}
    int total_size() const override;
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    void dump_to(std::string* out, int indent) const override;
    std::string value;
};

// Values without payload: null, undefined, unsupported, and a stray object-end marker.
class SrsAmf0Simple : public SrsAmf0Any {
public:
    explicit SrsAmf0Simple(uint8_t marker) : SrsAmf0Any(marker) {}
    int total_size() const override { return 1; }
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    void dump_to(std::string* out, int indent) const override;
};

// Reference (AMF0 spec 2.9): an index into the complex objects already read. Kept as the
// index: resolving it would let a few bytes expand into a huge tree.
class SrsAmf0Reference : public SrsAmf0Any {
public:
    explicit SrsAmf0Reference(uint16_t v) : SrsAmf0Any(SrsAmf0MarkerReference), index(v) {}
    int total_size() const override { return 1 + 2; }
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    void dump_to(std::string* out, int indent) const override;
    uint16_t index;
};

// Date (AMF0 spec 2.13): milliseconds since the epoch (UTC) and a timezone (reserved, 0).
class SrsAmf0Date : public SrsAmf0Any {
public:
    SrsAmf0Date(double ms, int16_t tz) : SrsAmf0Any(SrsAmf0MarkerDate), ms(ms), timezone(tz) {}
    int total_size() const override { return 1 + 8 + 2; }
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    void dump_to(std::string* out, int indent) const override;
    double ms;
    int16_t timezone;
};

// Named properties in insertion order: the body of an object, a typed object and an
// ECMA array. Lookups scan from the end, so of duplicate keys (which a decoder may meet)
// the last one wins.
class SrsAmf0PropertyBag : public SrsAmf0Any {
public:
    explicit SrsAmf0PropertyBag(uint8_t marker) : SrsAmf0Any(marker) {}

public:
    int count() const { return (int)props_.size(); }
    bool empty() const { return props_.empty(); }
    const std::string& key_at(int index) const { return props_[index].first; }
    SrsAmf0Any* value_at(int index) const { return props_[index].second.get(); }
    // Sets a property, replacing the value of an existing key.
    void set(const std::string& key, std::unique_ptr<SrsAmf0Any> value);
    // Appends without looking for the key; for decoders, which must stay linear.
    void append(const std::string& key, std::unique_ptr<SrsAmf0Any> value);
    // The value of a key, or null.
    SrsAmf0Any* get_property(const std::string& key) const;
    // The value of a key when it is a string (or a number), else null.
    SrsAmf0Any* ensure_property_string(const std::string& key) const;
    SrsAmf0Any* ensure_property_number(const std::string& key) const;
    // Convenience: the string/number value of a key, or the fallback.
    std::string get_string(const std::string& key, const std::string& fallback = "") const;
    double get_number(const std::string& key, double fallback = 0) const;
    // Removes every property of the key; returns whether one was removed.
    bool remove(const std::string& key);
    void clear() { props_.clear(); }
    // Copies every property of another bag into this one.
    void copy_properties_from(const SrsAmf0PropertyBag& from);

protected:
    int properties_size() const;
    srs_error_t write_properties(SrsBuffer* buf) const;
    void dump_properties(std::string* out, int indent) const;

private:
    std::vector<std::pair<std::string, std::unique_ptr<SrsAmf0Any>>> props_;
};

// Anonymous object (AMF0 spec 2.5) or typed object (2.18) when class_name is not empty.
class SrsAmf0Object : public SrsAmf0PropertyBag {
public:
    SrsAmf0Object() : SrsAmf0PropertyBag(SrsAmf0MarkerObject) {}
    explicit SrsAmf0Object(const std::string& class_name);
    const std::string& class_name() const { return class_name_; }
    int total_size() const override;
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    std::unique_ptr<SrsAmf0Object> copy_object() const;
    void dump_to(std::string* out, int indent) const override;

private:
    std::string class_name_;
};

// ECMA array (AMF0 spec 2.10): an associative array; the count written is the number of
// properties (readers ignore it and read up to the object end).
class SrsAmf0EcmaArray : public SrsAmf0PropertyBag {
public:
    SrsAmf0EcmaArray() : SrsAmf0PropertyBag(SrsAmf0MarkerEcmaArray) {}
    int total_size() const override;
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    std::unique_ptr<SrsAmf0EcmaArray> copy_array() const;
    void dump_to(std::string* out, int indent) const override;
};

// Strict array (AMF0 spec 2.12): values by ordinal index.
class SrsAmf0StrictArray : public SrsAmf0Any {
public:
    SrsAmf0StrictArray() : SrsAmf0Any(SrsAmf0MarkerStrictArray) {}
    int count() const { return (int)items_.size(); }
    SrsAmf0Any* at(int index) const { return items_[index].get(); }
    void append(std::unique_ptr<SrsAmf0Any> v) { items_.push_back(std::move(v)); }
    void clear() { items_.clear(); }
    int total_size() const override;
    srs_error_t write(SrsBuffer* buf) const override;
    std::unique_ptr<SrsAmf0Any> copy() const override;
    void dump_to(std::string* out, int indent) const override;

private:
    std::vector<std::unique_ptr<SrsAmf0Any>> items_;
};

// Low-level pieces, also used by the command packets.
// UTF-8 (AMF0 spec 1.3): a u16 length and the bytes, without marker.
srs_error_t srs_amf0_read_utf8(SrsBuffer* buf, std::string* out);
srs_error_t srs_amf0_write_utf8(SrsBuffer* buf, const std::string& v);
// Typed reads that fail when the next value is of another type.
srs_error_t srs_amf0_read_string(SrsBuffer* buf, std::string* out);
srs_error_t srs_amf0_read_number(SrsBuffer* buf, double* out);
srs_error_t srs_amf0_read_boolean(SrsBuffer* buf, bool* out);
srs_error_t srs_amf0_read_null(SrsBuffer* buf);
srs_error_t srs_amf0_read_object(SrsBuffer* buf, std::unique_ptr<SrsAmf0Object>* out);
// Encodes a sequence of values into a new byte string (handy for tests and packets).
srs_error_t srs_amf0_encode(const std::vector<const SrsAmf0Any*>& values, std::string* out);
