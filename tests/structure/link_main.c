/*
 * link_main.c - an empty program. The build links each layer's library into
 * it whole, against the layers below only (CMakeLists.txt), so that a call
 * from a layer to one above it is an undefined symbol and the build fails.
 */
int main(void)
{
	return 0;
}
