// AMF3 decoding (Adobe AMF3 spec, 2013), for what Flash/AIR clients send in RTMP: values
// reached through the AMF0 avmplus-object marker (0x11) in AMF3 command/data messages.
// Decoded values are mapped onto AMF0 ones, so the rest of the server sees one model:
//   undefined/null/false/true -> undefined/null/boolean,  integer/double -> number,
//   string -> string, xml-doc/xml -> XML document, date -> date,
//   array -> strict array (dense only) or ECMA array (associative part, dense items keyed
//   "0", "1", ...), object -> object (typed object when it has a class name),
//   byte array -> long string (the raw bytes), vectors -> strict array of values,
//   dictionary -> ECMA array (keys as text).
// References (strings, objects, traits) are resolved by copying; the copies are bounded by a
// budget so a few bytes of references cannot expand into a huge tree. A reference to an
// object still being decoded (a cycle) decodes as null. Externalizable objects need the
// class's own code to read, so they fail with ERROR_RTMP_AMF3_DECODE.
#pragma once

#include <srs_core_error.hpp>

#include <memory>

class SrsBuffer;
class SrsAmf0Any;

// AMF3 type markers (AMF3 spec 3.1).
enum SrsAmf3Marker : uint8_t {
    SrsAmf3MarkerUndefined = 0x00,
    SrsAmf3MarkerNull = 0x01,
    SrsAmf3MarkerFalse = 0x02,
    SrsAmf3MarkerTrue = 0x03,
    SrsAmf3MarkerInteger = 0x04,
    SrsAmf3MarkerDouble = 0x05,
    SrsAmf3MarkerString = 0x06,
    SrsAmf3MarkerXmlDoc = 0x07,
    SrsAmf3MarkerDate = 0x08,
    SrsAmf3MarkerArray = 0x09,
    SrsAmf3MarkerObject = 0x0A,
    SrsAmf3MarkerXml = 0x0B,
    SrsAmf3MarkerByteArray = 0x0C,
    SrsAmf3MarkerVectorInt = 0x0D,
    SrsAmf3MarkerVectorUint = 0x0E,
    SrsAmf3MarkerVectorDouble = 0x0F,
    SrsAmf3MarkerVectorObject = 0x10,
    SrsAmf3MarkerDictionary = 0x11,
};

// The largest U29 value (AMF3 spec 1.3.1).
#define SRS_AMF3_U29_MAX 0x1FFFFFFF

// Decodes one AMF3 value (marker included) with fresh reference tables, as after an AMF0
// avmplus-object marker. depth is the nesting level of the caller.
srs_error_t srs_amf3_read_any(SrsBuffer* buf, std::unique_ptr<SrsAmf0Any>* out, int depth = 0);

// U29 variable-length unsigned integer (AMF3 spec 1.3.1): 1 to 4 bytes.
srs_error_t srs_amf3_read_u29(SrsBuffer* buf, uint32_t* out);
// The bytes srs_amf3_write_u29 needs for v (v <= SRS_AMF3_U29_MAX).
int srs_amf3_u29_size(uint32_t v);
srs_error_t srs_amf3_write_u29(SrsBuffer* buf, uint32_t v);
