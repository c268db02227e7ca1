using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace ProbeBench.Core.Weights.Pickle;

/// <summary>
/// A pickle virtual machine that only builds data: strings, numbers, tuples, lists, dicts and the globals in
/// an allow-list, whose "calls" (REDUCE) are handled by C# functions given by the caller. Any other global,
/// and every opcode that could instantiate arbitrary classes (INST, OBJ, NEWOBJ, EXT*), is refused, so
/// reading an untrusted pickle can never run code.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private const int MaxMemo = 10_000_000;
    private readonly byte[] _data;
    private readonly IReadOnlyDictionary<string, Func<object?[], object?>> _callables;
    private readonly IReadOnlySet<string> _valueGlobals;
    private readonly Func<object?, object?> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;

    /// <param name="data">The pickle bytes.</param>
    /// <param name="callables">Allowed globals that REDUCE may call, by "module.name".</param>
    /// <param name="valueGlobals">Allowed globals that may only appear as values (e.g. storage types).</param>
    /// <param name="persistentLoad">Resolves BINPERSID ids.</param>
    public RestrictedUnpickler(byte[] data, IReadOnlyDictionary<string, Func<object?[], object?>> callables,
        IReadOnlySet<string> valueGlobals, Func<object?, object?> persistentLoad)
    {
        _data = data;
        _callables = callables;
        _valueGlobals = valueGlobals;
        _persistentLoad = persistentLoad;
    }

    public object? Load()
    {
        while (true)
        {
            var at = _pos;
            var op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break; // PROTO
                case 0x95: Take(8); break; // FRAME: framing is irrelevant when the whole pickle is in memory
                case (byte)'.': // STOP
                    if (_stack.Count != 1) throw new PickleException($"the pickle stops with {_stack.Count} values on the stack");
                    return _stack[0];
                case (byte)'(': _marks.Push(_stack.Count); break; // MARK
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case 0x8a: Push(ReadLong(ReadByte())); break; // LONG1
                case 0x8b: Push(ReadLong(ReadLength(4))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'X': Push(ReadUtf8(ReadLength(4))); break; // BINUNICODE
                case 0x8c: Push(ReadUtf8(ReadByte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(ReadUtf8(ReadLength(8))); break; // BINUNICODE8
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(ReadByte()))); break; // SHORT_BINSTRING
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(ReadLength(4)))); break; // BINSTRING
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case (byte)'B': Push(Take(ReadLength(4)).ToArray()); break; // BINBYTES
                case (byte)')': Push(new PickleTuple([])); break; // EMPTY_TUPLE
                case 0x85: Push(new PickleTuple([Pop()])); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b])); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b, c])); break; } // TUPLE3
                case (byte)'t': Push(new PickleTuple(PopMark())); break; // TUPLE
                case (byte)']': Push(new PickleList()); break; // EMPTY_LIST
                case (byte)'l': { var list = new PickleList(); list.AddRange(PopMark()); Push(list); break; } // LIST
                case (byte)'a': { var item = Pop(); As<PickleList>(Peek(), "APPEND").Add(item); break; }
                case (byte)'e': { var items = PopMark(); As<PickleList>(Peek(), "APPENDS").AddRange(items); break; }
                case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)'d': { var dict = new PickleDict(); SetItems(dict, PopMark()); Push(dict); break; } // DICT
                case (byte)'s': { var value = Pop(); var key = Pop(); As<PickleDict>(Peek(), "SETITEM").Set(key, value); break; }
                case (byte)'u': { var items = PopMark(); SetItems(As<PickleDict>(Peek(), "SETITEMS"), items); break; }
                case (byte)'q': Memoize(ReadByte()); break; // BINPUT
                case (byte)'r': Memoize(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break; // LONG_BINPUT
                case 0x94: Memoize(_memo.Count); break; // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte())); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'c': Push(Global(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); Push(Global(AsString(module), AsString(name))); break; } // STACK_GLOBAL
                case (byte)'Q': Push(_persistentLoad(Pop())); break; // BINPERSID
                case (byte)'R': Push(Reduce()); break; // REDUCE
                case (byte)'b': Build(); break; // BUILD
                default:
                    throw new PickleException($"the pickle uses opcode 0x{op:x2} at byte {at}, which a state dict never needs");
            }
        }
    }

    private object? Global(string module, string name)
    {
        var full = $"{module}.{name}";
        if (!_callables.ContainsKey(full) && !_valueGlobals.Contains(full))
            throw new PickleException($"the pickle refers to the global '{full}', which is not allowed in a checkpoint");
        return new PickleGlobal(module, name);
    }

    private object? Reduce()
    {
        var args = As<PickleTuple>(Pop(), "REDUCE arguments");
        var callable = Pop();
        if (callable is not PickleGlobal global || !_callables.TryGetValue(global.ToString(), out var function))
            throw new PickleException($"the pickle calls '{callable}', which is not allowed in a checkpoint");
        return function(args.Items);
    }

    // BUILD sets instance state; the only instance a state dict has is OrderedDict with its `_metadata`, which we ignore.
    private void Build()
    {
        Pop();
        if (Peek() is not PickleDict)
            throw new PickleException("the pickle sets state (BUILD) on something other than a dict");
    }

    private static void SetItems(PickleDict dict, object?[] items)
    {
        if (items.Length % 2 != 0) throw new PickleException("the pickle sets dict items from an odd number of values");
        for (var i = 0; i < items.Length; i += 2) dict.Set(items[i], items[i + 1]);
    }

    private void Memoize(long index)
    {
        if (_memo.Count >= MaxMemo) throw new PickleException("the pickle memo is implausibly large");
        _memo[index] = Peek();
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw new PickleException($"the pickle reads memo slot {index}, which was never set");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() =>
        _stack.Count > (_marks.Count > 0 ? _marks.Peek() : 0) ? _stack[^1] : throw new PickleException("the pickle stack is empty where a value is needed");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0) throw new PickleException("the pickle closes a MARK that was never opened");
        var mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark).ToArray();
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private static T As<T>(object? value, string what) where T : class =>
        value as T ?? throw new PickleException($"the pickle's {what} applies to a {value?.GetType().Name ?? "None"}");

    private static string AsString(object? value) =>
        value as string ?? throw new PickleException("the pickle names a global with something other than strings");

    private byte ReadByte()
    {
        if (_pos >= _data.Length) throw new PickleException("the pickle ends without a STOP opcode");
        return _data[_pos++];
    }

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > _data.Length - _pos) throw new PickleException("the pickle ends in the middle of a value");
        var span = _data.AsSpan(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    private long ReadLength(int bytes) => bytes switch
    {
        4 => BinaryPrimitives.ReadUInt32LittleEndian(Take(4)),
        _ => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)), long.MaxValue),
    };

    private string ReadUtf8(long length)
    {
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length)); }
        catch (DecoderFallbackException) { throw new PickleException("the pickle holds a string that is not valid UTF-8"); }
    }

    private string ReadLine()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw new PickleException("the pickle ends inside a GLOBAL name");
        var text = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return text;
    }

    private object ReadLong(long length)
    {
        if (length > 64) throw new PickleException("the pickle holds an integer longer than 64 bytes");
        var value = new BigInteger(Take(length), isUnsigned: false, isBigEndian: false);
        // Boxed as long whenever it fits (pickle writes LONG1 for every integer beyond 32 bits, e.g. a storage of 2^31
        // elements); a conditional of long and BigInteger would convert both branches to BigInteger.
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }
}
