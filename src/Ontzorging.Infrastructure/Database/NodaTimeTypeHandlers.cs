using System.Data;
using Dapper;
using NodaTime;

namespace Ontzorging.Infrastructure.Database;

/// <summary>
/// Lets Dapper pass NodaTime values straight to Npgsql (which maps them natively once the data
/// source uses <c>UseNodaTime()</c>) instead of refusing them as unknown parameter types.
/// </summary>
public static class NodaTimeTypeHandlers
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        SqlMapper.AddTypeHandler(new PassThrough<Instant>());
        SqlMapper.AddTypeHandler(new PassThrough<LocalDate>());
        SqlMapper.AddTypeHandler(new PassThrough<LocalDateTime>());
        SqlMapper.AddTypeHandler(new PassThrough<Duration>());
    }

    private sealed class PassThrough<T> : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? value) => parameter.Value = value;

        public override T Parse(object value) => (T)value;
    }
}
