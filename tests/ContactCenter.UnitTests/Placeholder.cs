namespace ContactCenter.UnitTests;
