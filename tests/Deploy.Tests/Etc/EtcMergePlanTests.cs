using Arbor.Deploy.Etc;

namespace Arbor.Deploy.Tests.Etc;

public sealed class EtcMergePlanTests
{
    [Fact]
    public void EveryKindOfOutcome()
    {
        using var t = new EtcTestTree();
        t.Default("kept", "1");          // modified locally only
        t.Default("both", "1");          // modified locally and in the new defaults
        t.Default("deleted", "1");       // deleted locally
        t.Default("deleted-changed", "1");
        t.Default("upstream", "1");      // changed only in the new defaults
        t.Default("dropped", "1");       // removed from the new defaults, untouched locally
        t.Default("mine-dropped", "1");  // modified locally, removed from the new defaults
        t.Deploy();
        File.WriteAllText(Path.Join(t.OldCurrent, "kept"), "local");
        File.WriteAllText(Path.Join(t.OldCurrent, "both"), "local");
        File.WriteAllText(Path.Join(t.OldCurrent, "mine-dropped"), "local");
        File.Delete(Path.Join(t.OldCurrent, "deleted"));
        File.Delete(Path.Join(t.OldCurrent, "deleted-changed"));
        File.WriteAllText(Path.Join(t.OldCurrent, "local-only"), "x");
        File.WriteAllText(Path.Join(t.OldCurrent, "clash"), "x");
        File.WriteAllText(Path.Join(t.New, "both"), "2");
        File.WriteAllText(Path.Join(t.New, "deleted-changed"), "2");
        File.WriteAllText(Path.Join(t.New, "upstream"), "2");
        File.WriteAllText(Path.Join(t.New, "clash"), "default");
        File.WriteAllText(Path.Join(t.New, "fresh"), "new");
        File.Delete(Path.Join(t.New, "dropped"));
        File.Delete(Path.Join(t.New, "mine-dropped"));

        var plan = EtcMergePlan.Compute(EtcDiff.Compute(t.OldDefaults, t.OldCurrent), t.OldDefaults, t.New)
            .ToDictionary(i => i.Path, i => i.Action);
        Assert.Equal(EtcPlanAction.KeptLocal, plan["kept"]);
        Assert.Equal(EtcPlanAction.Conflict, plan["both"]);
        Assert.Equal(EtcPlanAction.Conflict, plan["mine-dropped"]);
        Assert.Equal(EtcPlanAction.Removed, plan["deleted"]);
        Assert.Equal(EtcPlanAction.Conflict, plan["deleted-changed"]);
        Assert.Equal(EtcPlanAction.Added, plan["local-only"]);
        Assert.Equal(EtcPlanAction.Conflict, plan["clash"]);
        Assert.Equal(EtcPlanAction.NewDefault, plan["upstream"]);
        Assert.Equal(EtcPlanAction.NewDefault, plan["fresh"]);
        Assert.Equal(EtcPlanAction.NewDefault, plan["dropped"]);
        Assert.Equal(10, plan.Count);
    }

    [Fact]
    public void PlanAgreesWithWhatTheMergeDoes()
    {
        using var t = new EtcTestTree();
        t.Default("a", "1");
        t.Default("b", "1");
        t.Deploy();
        File.WriteAllText(Path.Join(t.OldCurrent, "a"), "local");
        File.WriteAllText(Path.Join(t.New, "a"), "2");
        File.WriteAllText(Path.Join(t.New, "b"), "2");
        var diff = EtcDiff.Compute(t.OldDefaults, t.OldCurrent);
        var plan = EtcMergePlan.Compute(diff, t.OldDefaults, t.New);
        EtcMerge.Apply(diff, t.OldCurrent, t.New);
        foreach (var item in plan)
        {
            var merged = File.ReadAllText(Path.Join(t.New, item.Path));
            if (item.Action is EtcPlanAction.Conflict or EtcPlanAction.KeptLocal) Assert.Equal(File.ReadAllText(Path.Join(t.OldCurrent, item.Path)), merged);
            if (item.Action is EtcPlanAction.NewDefault) Assert.Equal("2", merged);
        }
        Assert.Equal("conflict    a (modified locally and in the new defaults; local version kept)", plan[0].ToString());
        Assert.Equal("new default b (updated)", plan[1].ToString());
    }
}
