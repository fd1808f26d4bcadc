#include <srs_protocol_amf3.hpp>

#include <srs_core_utility.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_protocol_amf0.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace {

// What a decode may build, in bytes: every value costs kNodeCost, and every string copied
// through a reference costs its length. Real command messages use a few KiB.
const int64_t kDecodeBudget = 8 * 1024 * 1024;
const int64_t kNodeCost = 64;

// Traits of an object class (AMF3 spec 3.12).
struct SrsAmf3Traits {
    std::string class_name;
    bool dynamic = false;
    std::vector<std::string> members;
};

// The reference tables and budget of one AMF3 decode (AMF3 spec 2.2).
class SrsAmf3Decoder {
public:
    explicit SrsAmf3Decoder(SrsBuffer* buf) : buf_(buf) {}
    srs_error_t read_any(std::unique_ptr<SrsAmf0Any>* out, int depth);

private:
    srs_error_t spend(int64_t cost);
    srs_error_t read_utf8_vr(std::string* out);
    srs_error_t read_double(double* out);
    // Reads the U29 of a complex value; on a reference, fills out with the copy and sets *ref.
    srs_error_t read_header(const char* what, uint32_t* value, bool* ref, std::unique_ptr<SrsAmf0Any>* out, int depth);
    srs_error_t copy_reference(uint32_t index, std::unique_ptr<SrsAmf0Any>* out, int depth);
    srs_error_t read_array(std::unique_ptr<SrsAmf0Any>* out, int depth);
    srs_error_t read_object(std::unique_ptr<SrsAmf0Any>* out, int depth);
    srs_error_t read_vector(uint8_t marker, std::unique_ptr<SrsAmf0Any>* out, int depth);
    srs_error_t read_dictionary(std::unique_ptr<SrsAmf0Any>* out, int depth);
    srs_error_t read_bytes_value(uint8_t marker, std::unique_ptr<SrsAmf0Any>* out, int depth);
    srs_error_t read_date(std::unique_ptr<SrsAmf0Any>* out, int depth);

private:
    SrsBuffer* buf_;
    std::vector<std::string> strings_;
    // Complex values by reference index; null while one is still being decoded. The values
    // are owned by the tree being built (which outlives the decoder) or by retired_.
    std::vector<const SrsAmf0Any*> objects_;
    std::vector<SrsAmf3Traits> traits_;
    // Values decoded but not kept in the tree (dictionary keys): the object table may
    // point at them, so they live as long as the decoder.
    std::vector<std::unique_ptr<SrsAmf0Any>> retired_;
    int64_t budget_ = kDecodeBudget;
};

// Size of a value: nodes, string bytes and nesting height, to bound a reference's copy.
void measure(const SrsAmf0Any* v, int64_t* cost, int* height) {
    *cost += kNodeCost + (v->is_string() ? (int64_t)v->to_str().size() : 0);
    int child_height = 0;
    if (const SrsAmf0PropertyBag* bag = v->to_properties()) {
        for (int i = 0; i < bag->count(); i++) {
            int h = 0;
            *cost += (int64_t)bag->key_at(i).size();
            measure(bag->value_at(i), cost, &h);
            child_height = std::max(child_height, h);
        }
    } else if (const SrsAmf0StrictArray* arr = v->to_strict_array()) {
        for (int i = 0; i < arr->count(); i++) {
            int h = 0;
            measure(arr->at(i), cost, &h);
            child_height = std::max(child_height, h);
        }
    }
    *height = 1 + child_height;
}

std::string key_text(const SrsAmf0Any* key) {
    if (key->is_string()) {
        return key->to_str();
    }
    if (key->is_number()) {
        double v = key->to_number();
        if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
            return srs_fmt("%lld", (long long)v);
        }
        return srs_fmt("%g", v);
    }
    if (key->is_boolean()) {
        return key->to_boolean() ? "true" : "false";
    }
    return key->dump();
}

}  // namespace

srs_error_t srs_amf3_read_u29(SrsBuffer* buf, uint32_t* out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        if (!buf->require(1)) {
            return srs_error_new(ERROR_RTMP_AMF3_DECODE, "u29 byte %d missing", i);
        }
        uint8_t b = (uint8_t)buf->read_1bytes();
        if (i == 3) {
            // The fourth byte carries 8 bits (AMF3 spec 1.3.1).
            v = (v << 8) | b;
            break;
        }
        v = (v << 7) | (b & 0x7f);
        if (!(b & 0x80)) {
            break;
        }
    }
    *out = v;
    return srs_success;
}

int srs_amf3_u29_size(uint32_t v) {
    if (v < 0x80) {
        return 1;
    }
    if (v < 0x4000) {
        return 2;
    }
    if (v < 0x200000) {
        return 3;
    }
    return 4;
}

srs_error_t srs_amf3_write_u29(SrsBuffer* buf, uint32_t v) {
    if (v > SRS_AMF3_U29_MAX) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "u29 overflow %u", v);
    }
    int n = srs_amf3_u29_size(v);
    if (!buf->require(n)) {
        return srs_error_new(ERROR_RTMP_AMF0_ENCODE, "no space for u29");
    }
    if (n == 4) {
        buf->write_1bytes((int8_t)(((v >> 22) & 0x7f) | 0x80));
        buf->write_1bytes((int8_t)(((v >> 15) & 0x7f) | 0x80));
        buf->write_1bytes((int8_t)(((v >> 8) & 0x7f) | 0x80));
        buf->write_1bytes((int8_t)(v & 0xff));
        return srs_success;
    }
    for (int i = n - 1; i > 0; i--) {
        buf->write_1bytes((int8_t)(((v >> (7 * i)) & 0x7f) | 0x80));
    }
    buf->write_1bytes((int8_t)(v & 0x7f));
    return srs_success;
}

srs_error_t srs_amf3_read_any(SrsBuffer* buf, std::unique_ptr<SrsAmf0Any>* out, int depth) {
    SrsAmf3Decoder dec(buf);
    return dec.read_any(out, depth);
}

srs_error_t SrsAmf3Decoder::spend(int64_t cost) {
    budget_ -= cost;
    if (budget_ < 0) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "decode budget exhausted");
    }
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_utf8_vr(std::string* out) {
    srs_error_t err = srs_success;
    uint32_t v = 0;
    if ((err = srs_amf3_read_u29(buf_, &v)) != srs_success) {
        return srs_error_wrap(err, "string header");
    }
    if (!(v & 1)) {
        uint32_t index = v >> 1;
        if (index >= strings_.size()) {
            return srs_error_new(ERROR_RTMP_AMF3_DECODE, "string reference %u of %d", index, (int)strings_.size());
        }
        if ((err = spend((int64_t)strings_[index].size())) != srs_success) {
            return srs_error_wrap(err, "string reference %u", index);
        }
        *out = strings_[index];
        return srs_success;
    }
    int len = (int)(v >> 1);
    if (!buf_->require(len)) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "string of %d bytes, left %d", len, buf_->left());
    }
    *out = buf_->read_string(len);
    // The empty string is never sent by reference (AMF3 spec 1.3.2).
    if (len > 0) {
        strings_.push_back(*out);
    }
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_double(double* out) {
    if (!buf_->require(8)) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "double needs 8 bytes, left %d", buf_->left());
    }
    int64_t bits = buf_->read_8bytes();
    memcpy(out, &bits, 8);
    return srs_success;
}

srs_error_t SrsAmf3Decoder::copy_reference(uint32_t index, std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    if (index >= objects_.size()) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "object reference %u of %d", index, (int)objects_.size());
    }
    const SrsAmf0Any* target = objects_[index];
    if (!target) {
        // A cycle: the object refers to itself or an ancestor. AMF0 trees cannot hold it.
        *out = SrsAmf0Any::null();
        return spend(kNodeCost);
    }
    int64_t cost = 0;
    int height = 0;
    measure(target, &cost, &height);
    if (depth + height > SRS_AMF0_MAX_DEPTH + 1) {
        return srs_error_new(ERROR_RTMP_AMF0_DEPTH, "reference %u of height %d at depth %d", index, height, depth);
    }
    if ((err = spend(cost)) != srs_success) {
        return srs_error_wrap(err, "object reference %u", index);
    }
    *out = target->copy();
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_header(const char* what, uint32_t* value, bool* ref, std::unique_ptr<SrsAmf0Any>* out,
                                        int depth) {
    srs_error_t err = srs_success;
    if ((err = srs_amf3_read_u29(buf_, value)) != srs_success) {
        return srs_error_wrap(err, "%s header", what);
    }
    *ref = !(*value & 1);
    if (*ref && (err = copy_reference(*value >> 1, out, depth)) != srs_success) {
        return srs_error_wrap(err, "%s", what);
    }
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_any(std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    if (depth > SRS_AMF0_MAX_DEPTH) {
        return srs_error_new(ERROR_RTMP_AMF0_DEPTH, "amf3 nesting %d exceeds %d", depth, SRS_AMF0_MAX_DEPTH);
    }
    if (!buf_->require(1)) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "no marker at %d", buf_->pos());
    }
    if ((err = spend(kNodeCost)) != srs_success) {
        return err;
    }
    uint8_t marker = (uint8_t)buf_->read_1bytes();
    switch (marker) {
        case SrsAmf3MarkerUndefined:
            *out = SrsAmf0Any::undefined();
            return srs_success;
        case SrsAmf3MarkerNull:
            *out = SrsAmf0Any::null();
            return srs_success;
        case SrsAmf3MarkerFalse:
            *out = SrsAmf0Any::boolean(false);
            return srs_success;
        case SrsAmf3MarkerTrue:
            *out = SrsAmf0Any::boolean(true);
            return srs_success;
        case SrsAmf3MarkerInteger: {
            uint32_t v = 0;
            if ((err = srs_amf3_read_u29(buf_, &v)) != srs_success) {
                return srs_error_wrap(err, "integer");
            }
            // A signed 29-bit integer (AMF3 spec 3.6).
            int32_t i = (v & 0x10000000) ? (int32_t)v - 0x20000000 : (int32_t)v;
            *out = SrsAmf0Any::number(i);
            return srs_success;
        }
        case SrsAmf3MarkerDouble: {
            double v = 0;
            if ((err = read_double(&v)) != srs_success) {
                return err;
            }
            *out = SrsAmf0Any::number(v);
            return srs_success;
        }
        case SrsAmf3MarkerString: {
            std::string v;
            if ((err = read_utf8_vr(&v)) != srs_success) {
                return srs_error_wrap(err, "string");
            }
            *out = SrsAmf0Any::str(v);
            return srs_success;
        }
        case SrsAmf3MarkerXmlDoc:
        case SrsAmf3MarkerXml:
        case SrsAmf3MarkerByteArray:
            return read_bytes_value(marker, out, depth);
        case SrsAmf3MarkerDate:
            return read_date(out, depth);
        case SrsAmf3MarkerArray:
            return read_array(out, depth);
        case SrsAmf3MarkerObject:
            return read_object(out, depth);
        case SrsAmf3MarkerVectorInt:
        case SrsAmf3MarkerVectorUint:
        case SrsAmf3MarkerVectorDouble:
        case SrsAmf3MarkerVectorObject:
            return read_vector(marker, out, depth);
        case SrsAmf3MarkerDictionary:
            return read_dictionary(out, depth);
        default:
            return srs_error_new(ERROR_RTMP_AMF3_DECODE, "invalid marker 0x%02x at %d", marker, buf_->pos() - 1);
    }
}

srs_error_t SrsAmf3Decoder::read_bytes_value(uint8_t marker, std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    uint32_t v = 0;
    bool ref = false;
    if ((err = read_header("xml/bytearray", &v, &ref, out, depth)) != srs_success || ref) {
        return err;
    }
    int len = (int)(v >> 1);
    if (!buf_->require(len)) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "marker 0x%02x of %d bytes, left %d", marker, len, buf_->left());
    }
    std::string bytes = buf_->read_string(len);
    if (marker == SrsAmf3MarkerByteArray) {
        *out = std::make_unique<SrsAmf0String>(SrsAmf0MarkerLongString, std::move(bytes));
    } else {
        *out = SrsAmf0Any::xml(bytes);
    }
    objects_.push_back(out->get());
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_date(std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    uint32_t v = 0;
    bool ref = false;
    if ((err = read_header("date", &v, &ref, out, depth)) != srs_success || ref) {
        return err;
    }
    double ms = 0;
    if ((err = read_double(&ms)) != srs_success) {
        return srs_error_wrap(err, "date");
    }
    *out = SrsAmf0Any::date(ms, 0);
    objects_.push_back(out->get());
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_array(std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    uint32_t v = 0;
    bool ref = false;
    if ((err = read_header("array", &v, &ref, out, depth)) != srs_success || ref) {
        return err;
    }
    uint32_t dense = v >> 1;
    // The table index is taken before the members are read (AMF3 spec 2.2).
    size_t index = objects_.size();
    objects_.push_back(nullptr);

    std::string key;
    if ((err = read_utf8_vr(&key)) != srs_success) {
        return srs_error_wrap(err, "array key");
    }
    // Every item takes at least one byte.
    if (dense > (uint32_t)buf_->left()) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "array of %u items, left %d", dense, buf_->left());
    }
    if (key.empty()) {
        std::unique_ptr<SrsAmf0StrictArray> arr = SrsAmf0Any::strict_array();
        for (uint32_t i = 0; i < dense; i++) {
            std::unique_ptr<SrsAmf0Any> item;
            if ((err = read_any(&item, depth + 1)) != srs_success) {
                return srs_error_wrap(err, "array item %u", i);
            }
            arr->append(std::move(item));
        }
        objects_[index] = arr.get();
        *out = std::move(arr);
        return srs_success;
    }

    std::unique_ptr<SrsAmf0EcmaArray> arr = SrsAmf0Any::ecma_array();
    while (!key.empty()) {
        std::unique_ptr<SrsAmf0Any> item;
        if ((err = read_any(&item, depth + 1)) != srs_success) {
            return srs_error_wrap(err, "array item %s", key.c_str());
        }
        arr->append(key, std::move(item));
        if ((err = read_utf8_vr(&key)) != srs_success) {
            return srs_error_wrap(err, "array key");
        }
    }
    for (uint32_t i = 0; i < dense; i++) {
        std::unique_ptr<SrsAmf0Any> item;
        if ((err = read_any(&item, depth + 1)) != srs_success) {
            return srs_error_wrap(err, "array item %u", i);
        }
        arr->append(srs_fmt("%u", i), std::move(item));
    }
    objects_[index] = arr.get();
    *out = std::move(arr);
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_object(std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    uint32_t v = 0;
    bool ref = false;
    if ((err = read_header("object", &v, &ref, out, depth)) != srs_success || ref) {
        return err;
    }
    size_t index = objects_.size();
    objects_.push_back(nullptr);

    // U29O-traits-ref, U29O-traits-ext or U29O-traits (AMF3 spec 3.12).
    size_t ti = 0;
    if (!(v & 0x02)) {
        ti = v >> 2;
        if (ti >= traits_.size()) {
            return srs_error_new(ERROR_RTMP_AMF3_DECODE, "traits reference %d of %d", (int)ti, (int)traits_.size());
        }
    } else if (v & 0x04) {
        std::string class_name;
        srs_error_t cerr = read_utf8_vr(&class_name);
        srs_error_reset(cerr);
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "externalizable object %s is not supported", class_name.c_str());
    } else {
        SrsAmf3Traits traits;
        traits.dynamic = (v & 0x08) != 0;
        uint32_t sealed = v >> 4;
        if ((err = read_utf8_vr(&traits.class_name)) != srs_success) {
            return srs_error_wrap(err, "class name");
        }
        // Each member name takes at least one byte.
        if (sealed > (uint32_t)buf_->left()) {
            return srs_error_new(ERROR_RTMP_AMF3_DECODE, "%u sealed members, left %d", sealed, buf_->left());
        }
        for (uint32_t i = 0; i < sealed; i++) {
            std::string name;
            if ((err = read_utf8_vr(&name)) != srs_success) {
                return srs_error_wrap(err, "sealed member %u", i);
            }
            traits.members.push_back(std::move(name));
        }
        ti = traits_.size();
        traits_.push_back(std::move(traits));
    }

    // traits_ may grow while members are read: access it by index only.
    std::unique_ptr<SrsAmf0Object> obj = SrsAmf0Any::typed_object(traits_[ti].class_name);
    size_t sealed = traits_[ti].members.size();
    for (size_t i = 0; i < sealed; i++) {
        std::unique_ptr<SrsAmf0Any> value;
        if ((err = read_any(&value, depth + 1)) != srs_success) {
            return srs_error_wrap(err, "member %s", traits_[ti].members[i].c_str());
        }
        obj->append(traits_[ti].members[i], std::move(value));
    }
    if (traits_[ti].dynamic) {
        while (true) {
            std::string name;
            if ((err = read_utf8_vr(&name)) != srs_success) {
                return srs_error_wrap(err, "dynamic member name");
            }
            if (name.empty()) {
                break;
            }
            std::unique_ptr<SrsAmf0Any> value;
            if ((err = read_any(&value, depth + 1)) != srs_success) {
                return srs_error_wrap(err, "dynamic member %s", name.c_str());
            }
            obj->append(name, std::move(value));
        }
    }
    objects_[index] = obj.get();
    *out = std::move(obj);
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_vector(uint8_t marker, std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    uint32_t v = 0;
    bool ref = false;
    if ((err = read_header("vector", &v, &ref, out, depth)) != srs_success || ref) {
        return err;
    }
    uint32_t count = v >> 1;
    size_t index = objects_.size();
    objects_.push_back(nullptr);
    if (!buf_->require(1)) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "vector fixed flag missing");
    }
    buf_->skip(1);

    std::unique_ptr<SrsAmf0StrictArray> arr = SrsAmf0Any::strict_array();
    if (marker == SrsAmf3MarkerVectorObject) {
        std::string type_name;
        if ((err = read_utf8_vr(&type_name)) != srs_success) {
            return srs_error_wrap(err, "vector object type");
        }
        if (count > (uint32_t)buf_->left()) {
            return srs_error_new(ERROR_RTMP_AMF3_DECODE, "vector of %u objects, left %d", count, buf_->left());
        }
        for (uint32_t i = 0; i < count; i++) {
            std::unique_ptr<SrsAmf0Any> item;
            if ((err = read_any(&item, depth + 1)) != srs_success) {
                return srs_error_wrap(err, "vector item %u", i);
            }
            arr->append(std::move(item));
        }
    } else {
        int item_size = marker == SrsAmf3MarkerVectorDouble ? 8 : 4;
        if ((int64_t)count * item_size > (int64_t)buf_->left()) {
            return srs_error_new(ERROR_RTMP_AMF3_DECODE, "vector of %u items, left %d", count, buf_->left());
        }
        if ((err = spend((int64_t)count * kNodeCost)) != srs_success) {
            return srs_error_wrap(err, "vector");
        }
        for (uint32_t i = 0; i < count; i++) {
            double item = 0;
            if (marker == SrsAmf3MarkerVectorDouble) {
                if ((err = read_double(&item)) != srs_success) {
                    return err;
                }
            } else if (marker == SrsAmf3MarkerVectorInt) {
                item = (int32_t)buf_->read_4bytes();
            } else {
                item = (uint32_t)buf_->read_4bytes();
            }
            arr->append(SrsAmf0Any::number(item));
        }
    }
    objects_[index] = arr.get();
    *out = std::move(arr);
    return srs_success;
}

srs_error_t SrsAmf3Decoder::read_dictionary(std::unique_ptr<SrsAmf0Any>* out, int depth) {
    srs_error_t err = srs_success;
    uint32_t v = 0;
    bool ref = false;
    if ((err = read_header("dictionary", &v, &ref, out, depth)) != srs_success || ref) {
        return err;
    }
    uint32_t count = v >> 1;
    size_t index = objects_.size();
    objects_.push_back(nullptr);
    if (!buf_->require(1)) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "dictionary weak-keys flag missing");
    }
    buf_->skip(1);
    // Every entry takes at least two bytes.
    if (count > (uint32_t)buf_->left()) {
        return srs_error_new(ERROR_RTMP_AMF3_DECODE, "dictionary of %u entries, left %d", count, buf_->left());
    }
    std::unique_ptr<SrsAmf0EcmaArray> arr = SrsAmf0Any::ecma_array();
    for (uint32_t i = 0; i < count; i++) {
        std::unique_ptr<SrsAmf0Any> key;
        std::unique_ptr<SrsAmf0Any> value;
        if ((err = read_any(&key, depth + 1)) != srs_success) {
            return srs_error_wrap(err, "dictionary key %u", i);
        }
        if ((err = read_any(&value, depth + 1)) != srs_success) {
            return srs_error_wrap(err, "dictionary value %u", i);
        }
        arr->append(key_text(key.get()), std::move(value));
        retired_.push_back(std::move(key));
    }
    objects_[index] = arr.get();
    *out = std::move(arr);
    return srs_success;
}
