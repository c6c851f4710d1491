package dev.glint.shared.testing;

import java.lang.reflect.Proxy;
import java.util.function.BiFunction;

/** A port whose every method answers by one function of the method's name and arguments. */
public final class Ports {

    private Ports() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T only(Class<T> port, BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[]{port},
                (proxy, method, args) -> answer.apply(method.getName(), args));
    }
}
