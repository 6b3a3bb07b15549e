// RepQuest open puck — reference firmware (protocol: docs/puck-protocol.md, version 1).
//
// Boards: Arduino Nano 33 BLE / BLE Sense (Rev1: LSM9DS1, Rev2: BMI270) and ESP32 with an MPU-6050.
// Streams accel (+ gyro) as RepQuest packets over BLE notifications and, at the same time, over
// USB serial (A5 5A LEN packet CRC16). Untested on hardware in this repository: the packet layout
// is checked by tests/test_devices_formats.py against devices/pucks/openpuck.py, not this sketch.
//
// Build: Arduino IDE. Nano 33 BLE: install "ArduinoBLE" and "Arduino_LSM9DS1" (Rev2:
// "Arduino_BMI270_BMM150", define NANO33_REV2). ESP32: install "Adafruit MPU6050".

#include <Arduino.h>

#if defined(ARDUINO_ARCH_ESP32)
  #include <BLEDevice.h>
  #include <BLEServer.h>
  #include <BLE2902.h>
  #include <Adafruit_MPU6050.h>
  Adafruit_MPU6050 mpu;
#else
  #include <ArduinoBLE.h>
  #if defined(NANO33_REV2)
    #include "Arduino_BMI270_BMM150.h"
  #else
    #include <Arduino_LSM9DS1.h>
  #endif
#endif

#define SERVICE_UUID "b3a10001-5f3c-4e2a-9d6b-8a1e7c0e2f50"
#define DATA_UUID    "b3a10002-5f3c-4e2a-9d6b-8a1e7c0e2f50"
#define RATE_UUID    "b3a10003-5f3c-4e2a-9d6b-8a1e7c0e2f50"

static const uint8_t  VERSION = 1;
static const uint8_t  FLAG_GYRO = 0x01;
static const uint8_t  HEADER_BYTES = 12;
static const uint8_t  SAMPLE_BYTES = 12;          // accel + gyro
static const uint8_t  MAX_SAMPLES = 19;
static volatile uint16_t rateHz = 50;
static uint8_t  samplesPerPacket = 1;             // grows after the MTU exchange (see loop)

static uint8_t  packet[HEADER_BYTES + MAX_SAMPLES * SAMPLE_BYTES];
static uint8_t  nInPacket = 0;
static bool     withGyro = true;                  // false when one gyro sample cannot fit the MTU
static uint16_t seq = 0;
static uint32_t firstSampleMs = 0;
static uint32_t nextSampleUs = 0;

static uint16_t bleMtu();
static void put16(uint8_t* p, int16_t v) { p[0] = v & 0xFF; p[1] = (v >> 8) & 0xFF; }
static void putU16(uint8_t* p, uint16_t v) { p[0] = v & 0xFF; p[1] = v >> 8; }
static void putU32(uint8_t* p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (v >> (8 * i)) & 0xFF; }
static int16_t clamp16(float v) { return v > 32767 ? 32767 : (v < -32768 ? -32768 : (int16_t)lroundf(v)); }

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF.
static uint16_t crc16(const uint8_t* data, size_t len, uint16_t crc = 0xFFFF) {
  for (size_t i = 0; i < len; i++) {
    crc ^= (uint16_t)data[i] << 8;
    for (int b = 0; b < 8; b++) crc = (crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1;
  }
  return crc;
}

// Read one sample in the puck frame: x right, y forward, z up out of the face (face up = +1 g).
// Adjust the signs/swaps here to how the board sits in your puck.
static bool readImu(float a_g[3], float g_dps[3]) {
#if defined(ARDUINO_ARCH_ESP32)
  sensors_event_t a, g, t;
  mpu.getEvent(&a, &g, &t);
  a_g[0] = a.acceleration.x / 9.80665f; a_g[1] = a.acceleration.y / 9.80665f; a_g[2] = a.acceleration.z / 9.80665f;
  g_dps[0] = g.gyro.x * 57.29578f; g_dps[1] = g.gyro.y * 57.29578f; g_dps[2] = g.gyro.z * 57.29578f;
  return true;
#else
  if (!IMU.accelerationAvailable() || !IMU.gyroscopeAvailable()) return false;
  IMU.readAcceleration(a_g[0], a_g[1], a_g[2]);   // g
  IMU.readGyroscope(g_dps[0], g_dps[1], g_dps[2]); // deg/s
  return true;
#endif
}

static void startPacket() {
  nInPacket = 0;
  firstSampleMs = millis();
  // default MTU 23 → 20-byte notifications: 12 + 6 (accel only) fits, 12 + 12 does not
  withGyro = (uint16_t)(bleMtu() - 3) >= HEADER_BYTES + SAMPLE_BYTES;
}

static size_t finishPacket() {
  packet[0] = VERSION;
  packet[1] = withGyro ? FLAG_GYRO : 0;
  putU16(packet + 2, seq++);
  putU32(packet + 4, firstSampleMs);
  putU16(packet + 8, (uint16_t)(1000000UL / rateHz));
  packet[10] = nInPacket;
  packet[11] = 255;  // battery unknown (wire a divider to an ADC pin to report it)
  return HEADER_BYTES + nInPacket * (withGyro ? SAMPLE_BYTES : SAMPLE_BYTES / 2);
}

static void sendSerial(size_t len) {
  uint8_t head[3] = {0xA5, 0x5A, (uint8_t)len};
  uint16_t crc = crc16(head + 2, 1);
  crc = crc16(packet, len, crc);
  uint8_t tail[2] = {(uint8_t)(crc & 0xFF), (uint8_t)(crc >> 8)};
  Serial.write(head, 3);
  Serial.write(packet, len);
  Serial.write(tail, 2);
}

#if defined(ARDUINO_ARCH_ESP32)
static BLECharacteristic* dataChar;
static BLECharacteristic* rateChar;
static bool subscribed() { return BLEDevice::getServer()->getConnectedCount() > 0; }
class RateWrite : public BLECharacteristicCallbacks {
  void onWrite(BLECharacteristic* c) override {
    String v = c->getValue();
    if (v.length() == 2) { uint16_t hz = (uint8_t)v[0] | ((uint8_t)v[1] << 8); if (hz >= 10 && hz <= 100) rateHz = hz; }
    uint8_t now[2]; putU16(now, rateHz); c->setValue(now, 2);
  }
};
class Reconnect : public BLEServerCallbacks {
  void onDisconnect(BLEServer* s) override { BLEDevice::startAdvertising(); }  // be findable again
};
static void setupBle() {
  BLEDevice::init("RepQuest Puck");
  BLEDevice::setMTU(185);
  BLEServer* server = BLEDevice::createServer();
  server->setCallbacks(new Reconnect());
  BLEService* service = server->createService(SERVICE_UUID);
  dataChar = service->createCharacteristic(DATA_UUID, BLECharacteristic::PROPERTY_NOTIFY);
  dataChar->addDescriptor(new BLE2902());
  rateChar = service->createCharacteristic(RATE_UUID, BLECharacteristic::PROPERTY_READ | BLECharacteristic::PROPERTY_WRITE);
  rateChar->setCallbacks(new RateWrite());
  uint8_t now[2]; putU16(now, rateHz); rateChar->setValue(now, 2);
  service->start();
  BLEAdvertising* adv = BLEDevice::getAdvertising();
  adv->addServiceUUID(SERVICE_UUID);
  BLEDevice::startAdvertising();
}
static void sendBle(size_t len) {
  if (!subscribed()) return;
  dataChar->setValue(packet, len);
  dataChar->notify();
}
static uint16_t bleMtu() { return BLEDevice::getMTU(); }
static void pollBle() {}
#else
static BLEService service(SERVICE_UUID);
static BLECharacteristic dataChar(DATA_UUID, BLENotify, HEADER_BYTES + MAX_SAMPLES * SAMPLE_BYTES);
static BLECharacteristic rateChar(RATE_UUID, BLERead | BLEWrite, 2);
static void onRateWritten(BLEDevice, BLECharacteristic c) {
  if (c.valueLength() == 2) { const uint8_t* v = c.value(); uint16_t hz = v[0] | (v[1] << 8); if (hz >= 10 && hz <= 100) rateHz = hz; }
  uint8_t now[2]; putU16(now, rateHz); rateChar.writeValue(now, 2);
}
static void setupBle() {
  if (!BLE.begin()) { Serial.println("# BLE failed to start; serial only"); return; }
  BLE.setLocalName("RepQuest Puck");
  BLE.setAdvertisedService(service);
  service.addCharacteristic(dataChar);
  service.addCharacteristic(rateChar);
  BLE.addService(service);
  rateChar.setEventHandler(BLEWritten, onRateWritten);
  uint8_t now[2]; putU16(now, rateHz); rateChar.writeValue(now, 2);
  BLE.advertise();  // ArduinoBLE advertises again by itself after a disconnect
}
static void sendBle(size_t len) {
  if (BLE.connected() && dataChar.subscribed()) dataChar.writeValue(packet, len);
}
static uint16_t bleMtu() { return 23; }  // ArduinoBLE does not expose the MTU: batch conservatively
static void pollBle() { BLE.poll(); }
#endif

void setup() {
  Serial.begin(115200);
#if defined(ARDUINO_ARCH_ESP32)
  Wire.begin();
  if (!mpu.begin()) { while (true) delay(1000); }
#else
  if (!IMU.begin()) { while (true) delay(1000); }
#endif
  setupBle();
  startPacket();
  nextSampleUs = micros();
}

void loop() {
  pollBle();
  uint32_t periodUs = 1000000UL / rateHz;
  if ((int32_t)(micros() - nextSampleUs) < 0) return;
  nextSampleUs += periodUs;

  float a[3], g[3];
  if (!readImu(a, g)) return;
  if (nInPacket == 0) firstSampleMs = millis();
  uint8_t stride = withGyro ? SAMPLE_BYTES : SAMPLE_BYTES / 2;
  uint8_t* s = packet + HEADER_BYTES + nInPacket * stride;
  for (int i = 0; i < 3; i++) put16(s + 2 * i, clamp16(a[i] * 1000.0f));
  if (withGyro) for (int i = 0; i < 3; i++) put16(s + 6 + 2 * i, clamp16(g[i] * 10.0f));
  nInPacket++;

  // as many samples as one notification can carry, but at most ~100 ms of them
  uint16_t fit = (bleMtu() - 3 - HEADER_BYTES) / stride;
  samplesPerPacket = fit < 1 ? 1 : (fit > rateHz / 10 ? rateHz / 10 : fit);
  if (samplesPerPacket < 1) samplesPerPacket = 1;
  if (nInPacket >= samplesPerPacket) {
    size_t len = finishPacket();
    sendBle(len);
    sendSerial(len);
    startPacket();
  }
}
