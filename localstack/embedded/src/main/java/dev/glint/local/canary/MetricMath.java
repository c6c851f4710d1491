package dev.glint.local.canary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of CloudWatch metric math Glint's alarms use, per datapoint: numbers, metric ids,
 * {@code + - * /}, comparisons ({@code > >= < <= == !=}), {@code AND}/{@code &&}, {@code OR}/{@code ||},
 * {@code IF(condition, then, else)} and {@code FILL(id, value)}. A missing datapoint of a metric makes the
 * result missing (a division by zero too), except inside {@code FILL}. Any other function is refused by
 * {@link #parse}: an expression that is not evaluated must never count as passing.
 */
final class MetricMath {

    private static final Set<String> FUNCTIONS = Set.of("IF", "FILL");

    /** A parsed expression: evaluated against one period's values of the ids it names (null = missing). */
    sealed interface Node permits Num, Ref, Binary, Call {
        Double eval(Map<String, Double> values);
    }

    record Num(double value) implements Node {
        public Double eval(Map<String, Double> values) {
            return value;
        }
    }

    record Ref(String id) implements Node {
        public Double eval(Map<String, Double> values) {
            return values.get(id);
        }
    }

    record Binary(String op, Node left, Node right) implements Node {
        public Double eval(Map<String, Double> values) {
            Double a = left.eval(values);
            Double b = right.eval(values);
            if (a == null || b == null) {
                return null;
            }
            return switch (op) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "/" -> b == 0 ? null : a / b;
                case ">" -> bool(a > b);
                case ">=" -> bool(a >= b);
                case "<" -> bool(a < b);
                case "<=" -> bool(a <= b);
                case "==" -> bool(a.doubleValue() == b.doubleValue());
                case "!=" -> bool(a.doubleValue() != b.doubleValue());
                case "AND" -> bool(a != 0 && b != 0);
                case "OR" -> bool(a != 0 || b != 0);
                default -> throw new IllegalStateException(op);
            };
        }
    }

    record Call(String function, List<Node> args) implements Node {
        public Double eval(Map<String, Double> values) {
            if (function.equals("IF")) {
                Double condition = args.get(0).eval(values);
                if (condition == null) {
                    return null;
                }
                return condition != 0 ? args.get(1).eval(values) : args.get(2).eval(values);
            }
            // FILL
            Double value = args.get(0).eval(values);
            return value != null ? value : args.get(1).eval(values);
        }
    }

    private static double bool(boolean value) {
        return value ? 1 : 0;
    }

    private final String alarm;
    private final String text;
    private final List<String> tokens;
    private int at;

    private MetricMath(String alarm, String text) {
        this.alarm = alarm;
        this.text = text;
        this.tokens = tokenize(alarm, text);
    }

    /** Parses the expression, or throws {@link UnsupportedAlarm} naming what it cannot evaluate. */
    static Node parse(String alarm, String expression) {
        MetricMath parser = new MetricMath(alarm, expression);
        Node node = parser.or();
        if (parser.at != parser.tokens.size()) {
            throw parser.unsupported("unexpected " + parser.tokens.get(parser.at));
        }
        return node;
    }

    /** The ids the expression reads. */
    static List<String> ids(Node node) {
        List<String> out = new ArrayList<>();
        collect(node, out);
        return out;
    }

    private static void collect(Node node, List<String> out) {
        if (node instanceof Ref r) {
            out.add(r.id());
        } else if (node instanceof Binary b) {
            collect(b.left(), out);
            collect(b.right(), out);
        } else if (node instanceof Call c) {
            c.args().forEach(a -> collect(a, out));
        }
    }

    private Node or() {
        Node left = and();
        while (peek("OR") || peek("||")) {
            next();
            left = new Binary("OR", left, and());
        }
        return left;
    }

    private Node and() {
        Node left = comparison();
        while (peek("AND") || peek("&&")) {
            next();
            left = new Binary("AND", left, comparison());
        }
        return left;
    }

    private Node comparison() {
        Node left = sum();
        for (String op : List.of(">=", "<=", "==", "!=", ">", "<")) {
            if (peek(op)) {
                next();
                return new Binary(op, left, sum());
            }
        }
        return left;
    }

    private Node sum() {
        Node left = product();
        while (peek("+") || peek("-")) {
            String op = next();
            left = new Binary(op, left, product());
        }
        return left;
    }

    private Node product() {
        Node left = unary();
        while (peek("*") || peek("/")) {
            String op = next();
            left = new Binary(op, left, unary());
        }
        return left;
    }

    private Node unary() {
        if (peek("-")) {
            next();
            return new Binary("-", new Num(0), unary());
        }
        return primary();
    }

    private Node primary() {
        if (at >= tokens.size()) {
            throw unsupported("it ends too early");
        }
        String token = next();
        if (token.equals("(")) {
            Node inner = or();
            expect(")");
            return inner;
        }
        if (Character.isDigit(token.charAt(0)) || token.charAt(0) == '.') {
            return new Num(Double.parseDouble(token));
        }
        if (!Character.isLetter(token.charAt(0))) {
            throw unsupported("unexpected " + token);
        }
        if (peek("(")) {
            if (!FUNCTIONS.contains(token)) {
                throw unsupported("the function " + token + " is not evaluated locally");
            }
            next();
            List<Node> args = new ArrayList<>();
            if (!peek(")")) {
                args.add(or());
                while (peek(",")) {
                    next();
                    args.add(or());
                }
            }
            expect(")");
            int wanted = token.equals("IF") ? 3 : 2;
            if (args.size() != wanted) {
                throw unsupported(token + " takes " + wanted + " arguments here, not " + args.size());
            }
            if (token.equals("FILL") && !(args.get(0) instanceof Ref)) {
                throw unsupported("FILL of anything but a metric id is not evaluated locally");
            }
            return new Call(token, List.copyOf(args));
        }
        return new Ref(token);
    }

    private boolean peek(String token) {
        return at < tokens.size() && tokens.get(at).equals(token);
    }

    private String next() {
        return tokens.get(at++);
    }

    private void expect(String token) {
        if (!peek(token)) {
            throw unsupported("expected " + token);
        }
        next();
    }

    private UnsupportedAlarm unsupported(String why) {
        return new UnsupportedAlarm(alarm + ": cannot evaluate the expression " + text + ": " + why);
    }

    private static List<String> tokenize(String alarm, String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                out.add(text.substring(start, i));
            } else if (Character.isDigit(c) || c == '.') {
                int start = i;
                while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
                out.add(text.substring(start, i));
            } else if (i + 1 < text.length() && List.of(">=", "<=", "==", "!=", "&&", "||").contains(text.substring(i, i + 2))) {
                out.add(text.substring(i, i + 2));
                i += 2;
            } else if ("+-*/(),<>".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else {
                throw new UnsupportedAlarm(alarm + ": cannot evaluate the expression " + text + ": unexpected '" + c + "'");
            }
        }
        return out;
    }
}
