package dev.glint.shared.messages;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest {

    @Test
    void roundTripsEachMessageType() {
        MediaJob media = MediaJob.of("p1", "uploads/u1/x.jpg");
        assertEquals(media, MessageCodec.decode(MessageCodec.encode(media), MediaJob.class));
        FanoutJob fanout = FanoutJob.firstPage("p1", "u1");
        assertEquals(fanout, MessageCodec.decode(MessageCodec.encode(fanout), FanoutJob.class));
    }

    @Test
    void unknownVersionIsRefusedWithAClearReason() {
        var error = assertThrows(MessageFormatException.class, () -> MessageCodec.decode(
                "{\"type\":\"media.process\",\"v\":2,\"postId\":\"p\",\"uploadKey\":\"k\"}", MediaJob.class));
        assertTrue(error.getMessage().contains("unsupported media.process version 2"), error.getMessage());
    }

    @Test
    void otherTypeIsRefused() {
        var error = assertThrows(MessageFormatException.class, () -> MessageCodec.decode(
                MessageCodec.encode(FanoutJob.firstPage("p", "a")), MediaJob.class));
        assertTrue(error.getMessage().contains("expected message type media.process"), error.getMessage());
    }

    @Test
    void malformedBodiesAreRefused() {
        assertThrows(MessageFormatException.class, () -> MessageCodec.decode("not json", MediaJob.class));
        assertThrows(MessageFormatException.class, () -> MessageCodec.decode("[1]", MediaJob.class));
        assertThrows(MessageFormatException.class, () -> MessageCodec.decode(null, MediaJob.class));
        assertThrows(MessageFormatException.class, () -> MessageCodec.decode(
                "{\"type\":\"media.process\",\"v\":1,\"postId\":\"p\"}", MediaJob.class));
        assertThrows(MessageFormatException.class, () -> MessageCodec.decode(
                "{\"type\":\"media.process\",\"v\":1,\"postId\":\"p\",\"uploadKey\":\"k\",\"extra\":1}", MediaJob.class));
        assertThrows(MessageFormatException.class, () -> MessageCodec.decode(
                "{\"type\":\"media.process\",\"v\":\"1\",\"postId\":\"p\",\"uploadKey\":\"k\"}", MediaJob.class));
    }
}
